package dev.apilock.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as people type them: {@code 30s}, {@code 5m}, {@code 2h}, {@code 30d}, or ISO-8601
 * such as {@code PT30S} and {@code P1D}. Whether a value is in range is for the command to say.
 */
final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern SHORT = Pattern.compile("([0-9]{1,12})([smhd])");

    @Override
    public Duration convert(String value) {
        String text = value.strip();
        Matcher matcher = SHORT.matcher(text.toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        if (text.length() > 1 && (text.charAt(0) == 'P' || text.charAt(0) == 'p' || text.charAt(0) == '-')) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw new TypeConversionException("'" + Output.printable(value)
                + "' is not a duration: use e.g. 30s, 5m, 2h, 30d or ISO-8601 PT30S");
    }

    /** A duration the way it is typed: {@code 30d}, {@code 2h}, {@code 5m}, {@code 45s}, else ISO-8601. */
    static String format(Duration duration) {
        long seconds = duration.getSeconds();
        if (duration.getNano() != 0 || seconds <= 0) {
            return duration.toString();
        }
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}

package dev.apilock.jakarta;

import dev.apilock.ApiLockSetupException;
import dev.apilock.LockType;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * apilock's {@code apilock.*} properties in a Jakarta application, read from MicroProfile Config
 * (Quarkus: {@code application.properties}) when it is on the class path; without it, none are set.
 *
 * <ul>
 *   <li>{@code apilock.types.<name>.expires}: declares a lock type for {@link dev.apilock.ApiLocked},
 *       e.g. {@code 60s}, {@code 5m}, {@code 2h}, {@code 1d}, a number of seconds, or ISO-8601
 *       {@code PT60S}; {@code apilock.types.<name>.keep-alive=true} gives it keep-alive.</li>
 *   <li>{@code apilock.persistence-unit}: the persistence unit whose {@code EntityManagerFactory}
 *       the produced {@code LockOperations} and {@code LockAdmin} use; by default the default unit's.</li>
 *   <li>{@code apilock.problem.expose-lock-id}: whether a 409 names the holder's lock id and fencing
 *       token (default {@code false}).</li>
 * </ul>
 *
 * @param persistenceUnit the unit's name, if one is chosen
 * @param exposeLockId    whether refusals show the holder's lock id and fencing token
 * @param types           the lock types declared by properties
 */
public record ApiLockSettings(Optional<String> persistenceUnit, boolean exposeLockId, List<LockType> types) {

    static final String TYPES = "apilock.types.";
    static final String PERSISTENCE_UNIT = "apilock.persistence-unit";
    static final String EXPOSE_LOCK_ID = "apilock.problem.expose-lock-id";

    private static final String EXPIRES = ".expires";
    private static final String KEEP_ALIVE = ".keep-alive";
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(s|m|h|d)?");

    public ApiLockSettings {
        types = List.copyOf(types);
    }

    /**
     * The settings of this application: from MicroProfile Config if present, else the defaults.
     *
     * @throws ApiLockSetupException a property that is malformed, named in the message
     */
    public static ApiLockSettings load() {
        return MicroProfileSettings.available() ? MicroProfileSettings.read() : of(Map.of());
    }

    /**
     * The settings given by {@code properties}, property name to value; other names are ignored.
     *
     * @throws ApiLockSetupException a property that is malformed, named in the message
     */
    public static ApiLockSettings of(Map<String, String> properties) {
        return parse(properties.keySet(), name -> Optional.ofNullable(properties.get(name)));
    }

    static ApiLockSettings parse(Iterable<String> names, Function<String, Optional<String>> values) {
        Map<String, Duration> expires = new TreeMap<>();
        Map<String, Boolean> keepAlive = new TreeMap<>();
        for (String property : withoutProfiles(names)) {
            if (!property.startsWith(TYPES)) {
                continue;
            }
            Optional<String> value = values.apply(property).map(String::strip).filter(text -> !text.isEmpty());
            if (value.isEmpty()) {
                continue;
            }
            if (property.endsWith(EXPIRES) && property.length() > TYPES.length() + EXPIRES.length()) {
                expires.put(typeName(property, EXPIRES), duration(property, value.get()));
            } else if (property.endsWith(KEEP_ALIVE) && property.length() > TYPES.length() + KEEP_ALIVE.length()) {
                keepAlive.put(typeName(property, KEEP_ALIVE), bool(property, value.get()));
            } else {
                throw new ApiLockSetupException("Unknown property " + property + ": a lock type is declared with "
                        + TYPES + "<name>" + EXPIRES + " (and optionally " + TYPES + "<name>" + KEEP_ALIVE + ")");
            }
        }
        for (String name : keepAlive.keySet()) {
            if (!expires.containsKey(name)) {
                throw new ApiLockSetupException(TYPES + name + KEEP_ALIVE + " is set but " + TYPES + name + EXPIRES
                        + " is not: a lock type needs its expiry");
            }
        }
        List<LockType> types = new ArrayList<>();
        expires.forEach((name, expiry) -> {
            LockType type = LockType.of(name, expiry);
            types.add(keepAlive.getOrDefault(name, false) ? type.withKeepAlive() : type);
        });
        Optional<String> unit = values.apply(PERSISTENCE_UNIT).map(String::strip).filter(text -> !text.isEmpty());
        boolean expose = values.apply(EXPOSE_LOCK_ID).map(String::strip).filter(text -> !text.isEmpty())
                .map(text -> bool(EXPOSE_LOCK_ID, text)).orElse(false);
        return new ApiLockSettings(unit, expose, types);
    }

    /**
     * The names, a profile's ({@code %test.apilock...}) as the plain name, whose value the config
     * gives only while that profile is active.
     */
    private static Set<String> withoutProfiles(Iterable<String> names) {
        Set<String> plain = new TreeSet<>();
        for (String name : names) {
            int dot = name.indexOf('.');
            plain.add(name.startsWith("%") && dot > 0 ? name.substring(dot + 1) : name);
        }
        return plain;
    }

    private static String typeName(String property, String suffix) {
        return property.substring(TYPES.length(), property.length() - suffix.length());
    }

    /** {@code 60s}, {@code 5m}, {@code 2h}, {@code 1d}, a number of seconds, or ISO-8601. */
    static Duration duration(String property, String text) {
        Matcher matcher = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        try {
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                String unit = matcher.group(2) == null ? "s" : matcher.group(2);
                return switch (unit) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
            return Duration.parse(text);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new ApiLockSetupException("Malformed duration in " + property + ": '" + text
                    + "'; use e.g. 60s, 5m, 2h, 1d or ISO-8601 PT60S");
        }
    }

    private static boolean bool(String property, String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ApiLockSetupException(property + " must be true or false, was '" + text + "'");
        };
    }
}

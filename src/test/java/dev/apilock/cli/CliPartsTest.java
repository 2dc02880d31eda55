package dev.apilock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.apilock.ApiLockAcquireException;
import dev.apilock.ApiLockException;
import dev.apilock.ApiLockSetupException;
import dev.apilock.LockType;
import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** The command line's parts that need no database: durations, redaction, JSON, exit codes. */
class CliPartsTest {

    @Nested
    class Durations {

        private final DurationConverter converter = new DurationConverter();

        @ParameterizedTest
        @CsvSource({"30s, PT30S", "5m, PT5M", "2h, PT2H", "30d, PT720H", "PT30S, PT30S", "P1D, PT24H", "0s, PT0S",
                "' 45S ', PT45S"})
        void shortAndIsoDurationsAreRead(String text, String expected) {
            assertThat(converter.convert(text)).isEqualTo(Duration.parse(expected));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "10", "10x", "s", "-5s", "1.5s", "PT", "30 d", "9999999999999d", "10s;rm"})
        void malformedDurationsAreRefusedNamingTheValue(String text) {
            assertThatThrownBy(() -> converter.convert(text)).isInstanceOf(TypeConversionException.class)
                    .hasMessageStartingWith("'" + text + "' is not a duration");
        }

        @Test
        void durationsAreWrittenTheWayTheyAreTyped() {
            assertThat(DurationConverter.format(Duration.ofDays(30))).isEqualTo("30d");
            assertThat(DurationConverter.format(Duration.ofHours(2))).isEqualTo("2h");
            assertThat(DurationConverter.format(Duration.ofMinutes(5))).isEqualTo("5m");
            assertThat(DurationConverter.format(Duration.ofSeconds(61))).isEqualTo("61s");
            assertThat(DurationConverter.format(Duration.ofMillis(1500))).isEqualTo("PT1.5S");
        }
    }

    @Nested
    class Redacting {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "jdbc:postgresql://db:5432/app?user=u&password=s3cret&ssl=true|jdbc:postgresql://db:5432/app?user=u&password=***&ssl=true",
                "jdbc:postgresql://db/app?PASSWORD=s3cret|jdbc:postgresql://db/app?PASSWORD=***",
                "jdbc:h2:tcp://db/x;USER=sa;PASSWORD=s3cret;AUTO_SERVER=TRUE|jdbc:h2:tcp://db/x;USER=sa;PASSWORD=***;AUTO_SERVER=TRUE",
                "jdbc:mysql://u:s3cret@db/app|jdbc:mysql://u:***@db/app",
                "jdbc:postgresql://db/app|jdbc:postgresql://db/app"})
        void passwordsAreRemovedFromUrls(String url, String safe) {
            assertThat(Redaction.url(url)).isEqualTo(safe);
            assertThat(Redaction.url(Redaction.url(url))).as("idempotent").isEqualTo(safe);
        }

        @Test
        void aKnownPasswordIsRemovedFromAnyMessage() {
            String message = "Cannot connect to jdbc:postgresql://db/app?password=s3cret: FATAL: bad s3cret";
            assertThat(Failures.oneLine(message, "s3cret"))
                    .isEqualTo("Cannot connect to jdbc:postgresql://db/app?password=***: FATAL: bad ***");
        }

        @Test
        void messagesBecomeOneLine() {
            assertThat(Failures.oneLine("first\n  second\r\nthird\u0007", null)).isEqualTo("first second third\\u0007");
        }
    }

    @Nested
    class Writing {

        @Test
        void jsonIsValidWhateverTheStrings() {
            String nasty = "quote \" backslash \\ newline \n tab \t nul \u0000 bell \u0007 é 渡辺 🙂 </script>";
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("text", nasty);
            document.put("number", 42L);
            document.put("flag", true);
            document.put("nothing", null);
            document.put("list", List.of("a", 1, false));
            String json = Json.write(document);

            assertThat(json).matches("[\\x20-\\x7e]*").as("printable ASCII only");
            JsonObject parsed = JsonParser.parseString(json).getAsJsonObject();
            assertThat(parsed.get("text").getAsString()).isEqualTo(nasty);
            assertThat(parsed.get("number").getAsLong()).isEqualTo(42);
            assertThat(parsed.get("flag").getAsBoolean()).isTrue();
            assertThat(parsed.get("nothing").isJsonNull()).isTrue();
            assertThat(parsed.get("list").getAsJsonArray()).hasSize(3);
        }

        @Test
        void tablesAlignColumnsAndNeverBreakLines() {
            String table = Output.table(List.of("A", "LONGER"), List.of(List.of("x\ny", "1"), List.of("wide value", "2")));
            assertThat(table.lines().toList()).containsExactly(
                    "A           LONGER",
                    "x\\u000ay    1",
                    "wide value  2");
        }

        @Test
        void humanDurations() {
            assertThat(Output.duration(Duration.ofMillis(41_300))).isEqualTo("41.3 s");
            assertThat(Output.duration(Duration.ofSeconds(299))).isEqualTo("4 m 59 s");
            assertThat(Output.duration(Duration.ofMinutes(185))).isEqualTo("3 h 5 m");
            assertThat(Output.duration(Duration.ofHours(719))).isEqualTo("29 d 23 h");
        }
    }

    @Nested
    class ExitCodes {

        @Test
        void failuresMapToSysexits() {
            LockType type = LockType.of("t", Duration.ofSeconds(1));
            assertThat(Failures.exitCode(new ApiLockSetupException("bad"))).isEqualTo(64);
            assertThat(Failures.exitCode(new ApiLockAcquireException(type, null, null))).isEqualTo(75);
            assertThat(Failures.exitCode(new ApiLockException("x", new SQLException("refused", "08001"))))
                    .isEqualTo(69);
            assertThat(Failures.exitCode(new ApiLockException("x", new SQLException("auth", "28P01")))).isEqualTo(69);
            assertThat(Failures.exitCode(new RuntimeException(new ConnectException("refused")))).isEqualTo(69);
            assertThat(Failures.exitCode(new ApiLockException("x", new SQLException("syntax", "42601")))).isEqualTo(70);
            assertThat(Failures.exitCode(new IllegalStateException("bug"))).isEqualTo(70);
        }

        @Test
        void exitCodesAreDistinct() {
            int[] codes = {ExitCode.OK, ExitCode.USAGE, ExitCode.UNAVAILABLE, ExitCode.INTERNAL, ExitCode.BLOCKED,
                    ExitCode.CANNOT_RUN};
            assertThat(Arrays.stream(codes).distinct().count()).isEqualTo(codes.length);
        }
    }
}

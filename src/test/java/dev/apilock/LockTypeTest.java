package dev.apilock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LockTypeTest {

    @Test
    void originsTypeIsConfigdocsUpdateForSixtySeconds() {
        assertThat(LockType.CONFIGDOCS_UPDATE.name()).isEqualTo("configdocs_update");
        assertThat(LockType.CONFIGDOCS_UPDATE.expiresAfter()).isEqualTo(Duration.ofSeconds(60));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "configdocs_update", "invoice:2024-07", "jobs/nightly.backup", "A-Z_0.9:/"})
    void acceptsIdentifierLikeNames(String name) {
        assertThat(LockType.of(name, Duration.ofSeconds(1)).name()).isEqualTo(name);
    }

    @Test
    void acceptsTheLongestNameTheColumnTakes() {
        String name = "n".repeat(LockType.MAX_NAME_LENGTH);
        assertThat(LockType.of(name, Duration.ofSeconds(1)).name()).hasSize(128);
    }

    static Stream<Arguments> badNames() {
        return Stream.of(
                Arguments.of(null, "Lock type name must not be null"),
                Arguments.of("", "Lock type name must not be blank, was ''"),
                Arguments.of("   ", "Lock type name must not be blank, was '   '"),
                Arguments.of("\t\n", "Lock type name must not be blank"),
                Arguments.of("n".repeat(129), "Lock type name must be at most 128 characters, was 129"),
                Arguments.of("café", "may contain only ASCII letters, digits and _ - . : /, was 'café'"),
                Arguments.of("two words", "was 'two words'"),
                Arguments.of("x'; DROP TABLE api_locks; --", "was 'x'; DROP TABLE api_locks; --'"),
                Arguments.of("quote\"d", "was 'quote\"d'"),
                Arguments.of("line\nbreak", "was 'line\\u000abreak'"),
                Arguments.of(" padded", "was ' padded'"));
    }

    @ParameterizedTest
    @MethodSource("badNames")
    void rejectsBadNamesNamingTheValue(String name, String message) {
        assertThatThrownBy(() -> LockType.of(name, Duration.ofSeconds(60)))
                .isInstanceOf(ApiLockSetupException.class)
                .hasMessageContaining(message);
    }

    static Stream<Arguments> badExpiries() {
        return Stream.of(
                Arguments.of(null, "Expiry of lock type report must not be null"),
                Arguments.of(Duration.ZERO, "must be positive, was PT0S"),
                Arguments.of(Duration.ofSeconds(-5), "must be positive, was PT-5S"),
                Arguments.of(Duration.ofMillis(1500), "must be a whole number of seconds, was PT1.5S"),
                Arguments.of(Duration.ofMillis(1), "must be a whole number of seconds, was PT0.001S"),
                Arguments.of(Duration.ofDays(31), "must be at most PT720H, was PT744H"),
                Arguments.of(Duration.ofSeconds(Long.MAX_VALUE), "must be at most PT720H"));
    }

    @ParameterizedTest
    @MethodSource("badExpiries")
    void rejectsBadExpiriesNamingTheValue(Duration expiry, String message) {
        assertThatThrownBy(() -> LockType.of("report", expiry))
                .isInstanceOf(ApiLockSetupException.class)
                .hasMessageContaining(message);
    }

    @Test
    void acceptsTheLongestExpiry() {
        assertThat(LockType.of("report", LockType.MAX_EXPIRY).expiresAfter()).isEqualTo(Duration.ofDays(30));
    }
}

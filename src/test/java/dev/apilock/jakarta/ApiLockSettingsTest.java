package dev.apilock.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apilock.ApiLockSetupException;
import dev.apilock.LockType;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiLockSettingsTest {

    @Test
    void withoutPropertiesNothingIsDeclaredAndNoLockIdIsExposed() {
        ApiLockSettings settings = ApiLockSettings.of(Map.of("quarkus.http.port", "8080"));

        assertThat(settings.types()).isEmpty();
        assertThat(settings.persistenceUnit()).isEmpty();
        assertThat(settings.exposeLockId()).isFalse();
    }

    @Test
    void typesAreDeclaredWithTheirExpiryAndKeepAlive() {
        ApiLockSettings settings = ApiLockSettings.of(Map.of(
                "apilock.types.report.expires", "5m",
                "apilock.types.report.keep-alive", "true",
                "apilock.types.invoice:2024.expires", "90",
                "apilock.types.export.v2.expires", "PT2H",
                "apilock.types.nightly.expires", "1d",
                "apilock.types.nightly.keep-alive", "false"));

        assertThat(settings.types()).containsExactlyInAnyOrder(
                LockType.of("report", Duration.ofMinutes(5)).withKeepAlive(),
                LockType.of("invoice:2024", Duration.ofSeconds(90)),
                LockType.of("export.v2", Duration.ofHours(2)),
                LockType.of("nightly", Duration.ofDays(1)));
    }

    @Test
    void theUnitAndTheLockIdExposureAreRead() {
        ApiLockSettings settings = ApiLockSettings.of(Map.of(
                "apilock.persistence-unit", " apilock ",
                "apilock.problem.expose-lock-id", "TRUE"));

        assertThat(settings.persistenceUnit()).isEqualTo(Optional.of("apilock"));
        assertThat(settings.exposeLockId()).isTrue();
    }

    @Test
    void aProfilesPropertyCountsWhereTheConfigGivesItsValue() {
        ApiLockSettings settings = ApiLockSettings.parse(
                java.util.List.of("%test.apilock.types.staging.expires", "%prod.apilock.types.live.expires"),
                name -> name.equals("apilock.types.staging.expires") ? Optional.of("10s") : Optional.empty());

        assertThat(settings.types()).containsExactly(LockType.of("staging", Duration.ofSeconds(10)));
    }

    @Test
    void malformedPropertiesAreRefusedNamingThem() {
        assertThatThrownBy(() -> ApiLockSettings.of(Map.of("apilock.types.report.expires", "soon")))
                .isInstanceOf(ApiLockSetupException.class)
                .hasMessageContaining("apilock.types.report.expires").hasMessageContaining("'soon'");
        assertThatThrownBy(() -> ApiLockSettings.of(Map.of("apilock.types.report.expire", "60s")))
                .isInstanceOf(ApiLockSetupException.class)
                .hasMessageContaining("Unknown property apilock.types.report.expire");
        assertThatThrownBy(() -> ApiLockSettings.of(Map.of("apilock.types.report.keep-alive", "true")))
                .isInstanceOf(ApiLockSetupException.class)
                .hasMessageContaining("apilock.types.report.expires is not");
        assertThatThrownBy(() -> ApiLockSettings.of(Map.of("apilock.problem.expose-lock-id", "yes")))
                .isInstanceOf(ApiLockSetupException.class)
                .hasMessageContaining("apilock.problem.expose-lock-id must be true or false");
        assertThatThrownBy(() -> ApiLockSettings.of(Map.of("apilock.types.report.expires", "0s")))
                .isInstanceOf(ApiLockSetupException.class).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> ApiLockSettings.of(Map.of("apilock.types.bad name.expires", "60s")))
                .isInstanceOf(ApiLockSetupException.class).hasMessageContaining("may contain only");
    }
}

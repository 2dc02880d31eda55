package dev.apilock.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apilock.LockType;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MicrometerLockListenerTest {

    @Test
    void registeredTypesHaveEveryMeterAtZeroBeforeTheirFirstLock() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerLockListener listener = new MicrometerLockListener(registry);

        listener.register(List.of(LockType.CONFIGDOCS_UPDATE, LockType.of("export", Duration.ofMinutes(5))));
        listener.register(List.of(LockType.CONFIGDOCS_UPDATE));

        assertThat(registry.getMeters()).hasSize(2 * 9);
        assertThat(registry.find("apilock.acquire").tags("type", "configdocs_update", "outcome", "blocked")
                .counter()).isNotNull().satisfies(counter -> assertThat(counter.count()).isZero());
        assertThat(registry.find("apilock.hold.duration").tag("type", "export").timer()).isNotNull();
        assertThat(registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName).distinct())
                .containsExactlyInAnyOrder("apilock.acquire", "apilock.release", "apilock.lost", "apilock.reclaimed",
                        "apilock.extend", "apilock.acquire.duration", "apilock.hold.duration");
    }

    @Test
    void registeringMapsTypeNamesThroughTheTagMapper() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerLockListener listener = new MicrometerLockListener(registry, name -> name.split(":")[0]);

        listener.register(List.of(LockType.of("invoice:1", Duration.ofSeconds(10)),
                LockType.of("invoice:2", Duration.ofSeconds(10))));

        assertThat(registry.getMeters()).hasSize(9)
                .allSatisfy(meter -> assertThat(meter.getId().getTag("type")).isEqualTo("invoice"));
    }
}

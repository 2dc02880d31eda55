package dev.apilock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.f4b6a3.ulid.UlidCreator;
import com.zaxxer.hikari.HikariDataSource;
import dev.apilock.micrometer.MicrometerLockListener;
import dev.apilock.store.AcquireAttempt;
import dev.apilock.store.ApiLockRepository;
import dev.apilock.store.NewLock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a {@link LockListener} hears, and the Micrometer binding built on it. */
abstract class ListenerContractTest extends DatabaseTest {

    @Test
    void acquiredAndReleasedAreReportedInOrder() {
        LockType type = newType(MINUTE);
        RecordingListener events = new RecordingListener();
        String lockId = new LockTemplate(factory, events).execute(type, "req", "alice", LockHandle::lockId);
        assertThat(events.events()).containsExactly("acquired " + lockId, "released " + lockId);
    }

    @Test
    void everyRefusedAttemptIsReportedWithTheHolder() {
        LockType type = newType(MINUTE);
        RecordingListener events = new RecordingListener();
        LockTemplate observed = new LockTemplate(factory, events);
        String holder = template.execute(type, "req", "alice", lock -> {
            join(CompletableFuture.runAsync(() -> // another thread: this one would not wait for itself
                    assertThatThrownBy(() -> observed.execute(type, "req-2", "bob", Duration.ofMillis(300), l -> "x"))
                            .isInstanceOf(ApiLockAcquireException.class)));
            return lock.lockId();
        });
        assertThat(events.events()).isNotEmpty().allMatch(e -> e.equals("blocked by " + holder));
        assertThat(events.count("blocked")).as("several attempts while waiting").isGreaterThan(1);
    }

    @Test
    void reclaimOfACrashedHoldersLockIsReportedWithTheAbandonedRow() {
        LockType type = newType(Duration.ofSeconds(1));
        AcquireAttempt crashed = new ApiLockRepository(factory).tryAcquire(
                new NewLock(UlidCreator.getMonotonicUlid().toString(), type.name(), 1, "ghost", "req-crash"));
        awaitDatabaseClockPast(crashed.holder().expiresAt());
        RecordingListener events = new RecordingListener();
        String lockId = new LockTemplate(factory, events).execute(type, "req", "alice", LockHandle::lockId);
        assertThat(events.events()).containsExactly(
                "reclaimed " + crashed.holder().lockId() + " EXPIRED released=true",
                "acquired " + lockId,
                "released " + lockId);
    }

    @Test
    void releaseFailureIsReported() {
        LockType type = newType(MINUTE);
        HikariDataSource pool = database.dataSource(2);
        RecordingListener events = new RecordingListener();
        String lockId = new LockTemplate(database.entityManagerFactory(pool), events)
                .execute(type, "req", "alice", lock -> {
                    pool.close();
                    return lock.lockId();
                });
        assertThat(events.events()).containsExactly("acquired " + lockId, "release failed " + lockId);
    }

    @Test
    void releaseOfAReclaimedLockIsReportedLost() {
        LockType type = newType(Duration.ofSeconds(1));
        RecordingListener events = new RecordingListener();
        String lockId = new LockTemplate(factory, events).execute(type, "req", "alice", lock -> {
            awaitDatabaseClockPast(lock.expiresAt());
            otherInstance.execute(type, "req-2", "bob", l -> "took over");
            return lock.lockId();
        });
        assertThat(events.events()).hasSize(2).first().isEqualTo("acquired " + lockId);
        assertThat(events.events().get(1)).startsWith("lost " + lockId + ": its row had already been reclaimed");
    }

    @Test
    void aThrowingListenerDoesNotChangeTheOutcome() {
        LockType type = newType(MINUTE);
        LockListener broken = new LockListener() {
            @Override
            public void acquired(LockHandle lock, Duration waited) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void released(LockHandle lock, Duration heldFor) {
                throw new IllegalStateException("listener bug");
            }
        };
        RecordingListener after = new RecordingListener();
        LockTemplate observed = new LockTemplate(factory, LockListener.composite(broken, after));
        String result = observed.execute(type, "req", "alice", lock -> "done");
        assertThat(result).isEqualTo("done");
        assertThat(after.count("acquired")).as("the next listener still hears it").isEqualTo(1);
        assertThat(table.count("lock_type = ? AND NOT released", type.name())).isZero();
    }

    @Test
    void micrometerCountsOutcomesAndTimesAcquireAndHold() {
        LockType type = newType(MINUTE);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LockTemplate metered = new LockTemplate(factory, new MicrometerLockListener(registry));
        metered.execute(type, "req", "alice", lock -> {
            sleep(50);
            assertThatThrownBy(() -> new LockTemplate(factory, new MicrometerLockListener(registry))
                    .execute(type, "req-2", "bob", l -> "x")).isInstanceOf(ApiLockAcquireException.class);
            return null;
        });
        String name = type.name();
        assertThat(registry.get("apilock.acquire").tags("type", name, "outcome", "acquired").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("apilock.acquire").tags("type", name, "outcome", "blocked").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("apilock.release").tags("type", name, "outcome", "released").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("apilock.hold.duration").tags("type", name).timer().totalTime(TimeUnit.MILLISECONDS))
                .isGreaterThanOrEqualTo(50.0);
        assertThat(registry.get("apilock.acquire.duration").tags("type", name).timer().count()).isEqualTo(1);
    }

    @Test
    void micrometerTypeTagCanBeMappedToKeepCardinalityLow() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LockTemplate metered = new LockTemplate(factory,
                new MicrometerLockListener(registry, name -> name.substring(0, name.indexOf(':'))));
        for (int i = 0; i < 3; i++) {
            metered.execute(LockType.of("invoice:" + i + "-" + newType(MINUTE).name(), MINUTE), "req", "alice", l -> "x");
        }
        assertThat(registry.get("apilock.acquire").tags("type", "invoice", "outcome", "acquired").counter().count())
                .isEqualTo(3.0);
    }
}

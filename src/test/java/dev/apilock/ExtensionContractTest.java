package dev.apilock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apilock.store.ApiLockRepository;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Extending a held lock by hand and by keep-alive, and knowing when it is lost. */
abstract class ExtensionContractTest extends DatabaseTest {

    private LockInfo row(String lockId, LockType type) {
        return new ApiLockRepository(factory).findLatestActive(type.name())
                .filter(info -> info.lockId().equals(lockId))
                .orElseThrow(() -> new AssertionError("lock " + lockId + " is not the active lock of " + type));
    }

    @Test
    void extendPushesTheExpiryForwardByTheDatabaseClock() {
        LockType type = newType(Duration.ofSeconds(2));
        template.execute(type, "req", "alice", lock -> {
            assertThat(lock.extend(Duration.ofSeconds(30))).isTrue();
            assertThat(lock.expiresAt()).isBetween(databaseNow().plusSeconds(28), databaseNow().plusSeconds(30));
            assertThat(row(lock.lockId(), type).expiresAt()).isEqualTo(lock.expiresAt());
            awaitDatabaseClockPast(lock.expiresAt().minusSeconds(27)); // past the original expiry
            assertThatThrownBy(() -> otherInstance.execute(type, "req-2", "bob", l -> "x"))
                    .as("still held after its original expiry").isInstanceOf(ApiLockAcquireException.class);
            assertThat(lock.isHeld()).isTrue();
            return null;
        });
    }

    @Test
    void extendNeverShortensTheLock() {
        LockType type = newType(MINUTE);
        template.execute(type, "req", "alice", lock -> {
            java.time.Instant before = lock.expiresAt();
            assertThat(lock.extend(Duration.ofSeconds(1))).isTrue();
            assertThat(lock.expiresAt()).isEqualTo(before);
            return null;
        });
    }

    @Test
    void expiredLockIsNotRevivedAndTheHandleIsLost() {
        LockType type = newType(Duration.ofSeconds(1));
        RecordingListener events = new RecordingListener();
        LockTemplate observed = new LockTemplate(factory, events);
        observed.execute(type, "req", "alice", lock -> {
            awaitDatabaseClockPast(lock.expiresAt());
            assertThat(lock.extend(Duration.ofSeconds(30))).isFalse();
            assertThat(lock.isHeld()).isFalse();
            assertThatThrownBy(lock::checkHeld).isInstanceOf(ApiLockLostException.class)
                    .hasMessageContaining(lock.lockId()).hasMessageContaining("expired");
            assertThat(table.count("lock_type = ? AND expires = 1 AND NOT released", type.name()))
                    .as("row unchanged: still due to be reclaimed").isEqualTo(1);
            String next = otherInstance.execute(type, "req-2", "bob", LockHandle::lockId);
            assertThat(next).isNotEqualTo(lock.lockId());
            return null;
        });
        assertThat(events.count("lost")).isEqualTo(1);
    }

    @Test
    void extendAfterAnotherHolderTookOverFails() {
        LockType type = newType(Duration.ofSeconds(1));
        template.execute(type, "req", "alice", lock -> {
            awaitDatabaseClockPast(lock.expiresAt());
            LockHandle next = otherInstance.execute(type, "req-2", "bob", l -> l);
            assertThat(next.fencingToken()).isGreaterThan(lock.fencingToken());
            assertThat(lock.extend(Duration.ofSeconds(30))).isFalse();
            assertThat(lock.isHeld()).isFalse();
            return null;
        });
    }

    @Test
    void extendOfAForceReleasedLockFails() {
        LockType type = newType(MINUTE);
        template.execute(type, "req", "alice", lock -> {
            assertThat(new ApiLockRepository(factory).forceRelease(lock.lockId())).isTrue(); // as an operator would
            assertThat(lock.extend(Duration.ofSeconds(30))).isFalse();
            assertThatThrownBy(lock::checkHeld).isInstanceOf(ApiLockLostException.class);
            return null;
        });
    }

    @Test
    void badExtensionsAreRejectedWithNothingWritten() {
        LockType type = newType(MINUTE);
        template.execute(type, "req", "alice", lock -> {
            List<String> before = table.snapshot();
            assertThatThrownBy(() -> lock.extend(null)).isInstanceOf(ApiLockSetupException.class);
            assertThatThrownBy(() -> lock.extend(Duration.ZERO)).isInstanceOf(ApiLockSetupException.class)
                    .hasMessageContaining("PT0S");
            assertThatThrownBy(() -> lock.extend(Duration.ofMillis(1500))).isInstanceOf(ApiLockSetupException.class)
                    .hasMessageContaining("whole number of seconds");
            assertThatThrownBy(() -> lock.extend(Duration.ofDays(365))).isInstanceOf(ApiLockSetupException.class);
            assertThat(table.snapshot()).isEqualTo(before);
            assertThat(lock.isHeld()).isTrue();
            return null;
        });
    }

    @Test
    void withoutKeepAliveTheHandleKnowsWhenItsLeaseRanOut() {
        LockType type = newType(Duration.ofSeconds(1));
        template.execute(type, "req", "alice", lock -> {
            assertThat(lock.isHeld()).isTrue();
            lock.checkHeld();
            sleep(1_200);
            assertThat(lock.isHeld()).as("lease over by the monotonic clock").isFalse();
            assertThatThrownBy(lock::checkHeld).isInstanceOf(ApiLockLostException.class)
                    .hasMessageContaining("lease ran out");
            return null;
        });
    }

    @Test
    void aHandleIsNotHeldAfterItsRelease() {
        LockType type = newType(MINUTE);
        LockHandle escaped = template.execute(type, "req", "alice", lock -> lock);
        assertThat(escaped.isHeld()).isFalse();
        assertThat(escaped.extend(Duration.ofSeconds(30))).isFalse();
        assertThat(table.count("id = ? AND released AND release_reason = 'RELEASED'", escaped.lockId())).isEqualTo(1);
    }

    @Test
    void keepAliveHoldsTheLockThroughACallbackLongerThanItsExpiry() {
        LockType type = newType(Duration.ofSeconds(1)).withKeepAlive();
        RecordingListener events = new RecordingListener();
        LockTemplate keeping = new LockTemplate(factory, events);
        String lockId = keeping.execute(type, "req", "alice", lock -> {
            for (int i = 0; i < 6; i++) { // 3 s: three times the expiry
                sleep(500);
                assertThat(lock.isHeld()).isTrue();
                lock.checkHeld();
                assertThatThrownBy(() -> otherInstance.execute(type, "req-2", "bob", l -> "x"))
                        .isInstanceOf(ApiLockAcquireException.class);
            }
            return lock.lockId();
        });
        assertThat(events.count("extended")).isBetween(4L, 12L);
        assertThat(events.count("lost")).isZero();
        assertThat(table.count("id = ? AND release_reason = 'RELEASED'", lockId)).isEqualTo(1);

        long extensions = events.count("extended");
        sleep(1_000);
        assertThat(events.count("extended")).as("keep-alive stopped with the callback").isEqualTo(extensions);
    }

    @Test
    void keepAliveMarksTheHandleLostWhenTheLockIsTakenAway() {
        LockType type = newType(Duration.ofSeconds(3)).withKeepAlive();
        RecordingListener events = new RecordingListener();
        LockTemplate keeping = new LockTemplate(factory, events);
        keeping.execute(type, "req", "alice", lock -> {
            assertThat(new ApiLockRepository(factory).forceRelease(lock.lockId())).isTrue(); // an operator steps in
            String thief = otherInstance.execute(type, "req-2", "bob", LockHandle::lockId);
            assertThat(thief).isNotEqualTo(lock.lockId());
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (lock.isHeld() && System.nanoTime() < deadline) {
                sleep(50);
            }
            assertThat(lock.isHeld()).as("the next keep-alive tick notices").isFalse();
            assertThatThrownBy(lock::checkHeld).isInstanceOf(ApiLockLostException.class);
            return null;
        });
        assertThat(events.count("lost")).isEqualTo(1);
    }
}

package dev.apilock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apilock.LockInfo.ReleaseReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The administrative contract of {@link LockAdmin}, run against a real database by each subclass.
 * Locks are taken through a {@link LockTemplate} on a separate factory, as another application
 * instance would; the admin reads and writes through its own.
 */
abstract class LockAdminContractTest extends DatabaseTest {

    LockAdmin admin;
    LockTemplate application;

    @BeforeAll
    void openAdmin() {
        admin = new LockAdmin(factory);
        application = otherInstance;
    }

    /**
     * Holds a lock of {@code type} on another thread, as a running application would, until
     * {@link Holder#close()}; returns once the lock is held.
     */
    Holder hold(LockType type, String user, String reference) throws InterruptedException {
        return Holder.start(application, type, user, reference);
    }

    /** Moves a row's acquisition (and, if asked, expiry) into the past, by plain SQL. */
    void backdate(String lockId, Duration by, boolean expiryToo) {
        long seconds = by.toSeconds();
        String shift = switch (kind()) {
            case H2 -> "DATEADD(SECOND, -" + seconds + ", %s)";
            case POSTGRESQL -> "%s - INTERVAL '" + seconds + " seconds'";
            case MARIADB -> "%s - INTERVAL " + seconds + " SECOND";
        };
        table.execute("UPDATE api_locks SET acquired_at = " + shift.formatted("acquired_at")
                + (expiryToo ? ", expires_at = " + shift.formatted("expires_at") : "") + " WHERE id = ?", lockId);
        table.execute("UPDATE api_lock_holders SET acquired_at = " + shift.formatted("acquired_at")
                + (expiryToo ? ", expires_at = " + shift.formatted("expires_at") : "") + " WHERE lock_id = ?", lockId);
    }

    @Nested
    class Reading {

        @Test
        void activeListsHeldLocksOnlyNewestFirst() throws Exception {
            LockType first = newType(MINUTE);
            LockType second = newType(MINUTE);
            LockType done = newType(MINUTE);
            application.execute(done, "req-done", "carol", lock -> null);
            try (Holder a = hold(first, "alice", "req-a"); Holder b = hold(second, "bob", "req-b")) {
                List<LockInfo> active = admin.active().stream()
                        .filter(l -> l.lockType().startsWith(testName)).toList();
                assertThat(active).extracting(LockInfo::lockId).containsExactly(b.lockId(), a.lockId());
                assertThat(active.get(1)).satisfies(lock -> {
                    assertThat(lock.user()).isEqualTo("alice");
                    assertThat(lock.referenceId()).isEqualTo("req-a");
                    assertThat(lock.released()).isFalse();
                    assertThat(lock.fencingToken()).isPositive();
                    assertThat(lock.activeAt(admin.databaseNow())).isTrue();
                });
                assertThat(admin.active(first.name())).map(LockInfo::lockId).hasValue(a.lockId());
                assertThat(admin.active(done.name())).isEmpty();
            }
        }

        @Test
        void anExpiredUnreleasedLockIsNotActive() throws Exception {
            LockType type = newType(MINUTE);
            try (Holder holder = hold(type, "alice", "req-1")) {
                backdate(holder.lockId(), Duration.ofMinutes(2), true);
                assertThat(admin.active(type.name())).isEmpty();
                assertThat(admin.active()).extracting(LockInfo::lockId).doesNotContain(holder.lockId());
            }
        }

        @Test
        void historyIsNewestFirstWithReleaseReasonAndTime() throws Exception {
            LockType type = newType(MINUTE);
            LockHandle released = application.execute(type, "req-1", "alice", lock -> lock);
            String forced;
            try (Holder holder = hold(type, "bob", "req-2")) {
                forced = admin.forceRelease(type.name()).orElseThrow().lockId();
            }
            try (Holder current = hold(type, "carol", "req-3")) {
                List<LockInfo> history = admin.history(type.name(), 10);
                assertThat(history).extracting(LockInfo::lockId).containsExactly(current.lockId(), forced,
                        released.lockId());
                assertThat(history).extracting(LockInfo::releaseReason)
                        .containsExactly(null, ReleaseReason.FORCED, ReleaseReason.RELEASED);
                assertThat(history.get(0).releasedAt()).isNull();
                assertThat(history.get(2).releasedAt()).isAfterOrEqualTo(history.get(2).acquiredAt());

                assertThat(admin.history(type.name(), 2)).extracting(LockInfo::lockId)
                        .containsExactly(current.lockId(), forced);
                assertThat(admin.history(1)).extracting(LockInfo::lockId).containsExactly(current.lockId());
            }
        }

        @Test
        void historyOfAllTypesMixesTypesNewestFirst() {
            LockType first = newType(MINUTE);
            LockType second = newType(MINUTE);
            String a = application.execute(first, "req-a", "alice", LockHandle::lockId);
            String b = application.execute(second, "req-b", "bob", LockHandle::lockId);
            assertThat(admin.history(2)).extracting(LockInfo::lockId).containsExactly(b, a);
        }
    }

    @Nested
    class Releasing {

        @Test
        void releaseByIdMarksTheLockForcedAndLetsTheNextAcquirerIn() throws Exception {
            LockType type = newType(MINUTE);
            try (Holder holder = hold(type, "alice", "req-1")) {
                Optional<LockInfo> released = admin.release(holder.lockId().toLowerCase());
                assertThat(released).hasValueSatisfying(lock -> {
                    assertThat(lock.lockId()).isEqualTo(holder.lockId());
                    assertThat(lock.released()).isTrue();
                    assertThat(lock.releaseReason()).isEqualTo(ReleaseReason.FORCED);
                    assertThat(lock.releasedAt()).isNotNull();
                    assertThat(lock.user()).isEqualTo("alice");
                });
                String next = application.execute(type, "req-2", "bob", lock -> "next ran");
                assertThat(next).isEqualTo("next ran");
            }
            assertThat(table.count("lock_type = ? AND release_reason = 'FORCED'", type.name()))
                    .as("the old holder's own release does not overwrite FORCED").isEqualTo(1);
        }

        @Test
        void forceReleaseLetsTheNextAcquirerIn() throws Exception {
            LockType type = newType(MINUTE);
            try (Holder holder = hold(type, "alice", "req-1")) {
                assertThatThrownBy(() -> application.execute(type, "req-2", "bob", lock -> "x"))
                        .isInstanceOf(ApiLockAcquireException.class);

                Optional<LockInfo> released = admin.forceRelease(type.name());

                assertThat(released).map(LockInfo::lockId).hasValue(holder.lockId());
                assertThat(released).map(LockInfo::releaseReason).hasValue(ReleaseReason.FORCED);
                assertThat(application.execute(type, "req-2", "bob", LockHandle::fencingToken))
                        .isGreaterThan(holder.fencingToken());
                assertThat(admin.active(type.name())).isEmpty();
            }
        }

        @Test
        void forceReleaseWithNoHolderReleasesNothing() {
            LockType type = newType(MINUTE);
            application.execute(type, "req-1", "alice", lock -> null);
            assertThat(admin.forceRelease(type.name())).isEmpty();
            assertThat(table.count("lock_type = ? AND release_reason = 'FORCED'", type.name())).isZero();
        }

        @Test
        void releaseOfAnAlreadyReleasedLockReleasesNothing() {
            LockType type = newType(MINUTE);
            String lockId = application.execute(type, "req-1", "alice", LockHandle::lockId);
            assertThat(admin.release(lockId)).isEmpty();
            assertThat(admin.find(lockId)).map(LockInfo::releaseReason).hasValue(ReleaseReason.RELEASED);
        }

        @Test
        void releaseOfAnUnknownIdSaysSo() {
            List<String> before = table.snapshot();
            assertThatThrownBy(() -> admin.release("01ARZ3NDEKTSV4RRFFQ69G5FAV"))
                    .isInstanceOf(ApiLockSetupException.class)
                    .hasMessage("Unknown lock id '01ARZ3NDEKTSV4RRFFQ69G5FAV': no such lock (or its history was purged)");
            assertThat(table.snapshot()).isEqualTo(before);
        }
    }

    @Nested
    class Purging {

        @Test
        void purgeDeletesOldReleasedAndExpiredRowsOnly() throws Exception {
            LockType type = newType(MINUTE);
            String oldReleased = application.execute(type, "req-1", "alice", LockHandle::lockId);
            String recentReleased = application.execute(type, "req-2", "alice", LockHandle::lockId);
            backdate(oldReleased, Duration.ofDays(40), false);
            try (Holder abandoned = hold(type, "bob", "req-3")) {
                // a holder that crashed long ago: unreleased, expired, never reclaimed
                backdate(abandoned.lockId(), Duration.ofDays(40), true);

                assertThat(admin.purge(Duration.ofDays(30))).isEqualTo(2);

                assertThat(admin.find(oldReleased)).isEmpty();
                assertThat(admin.find(abandoned.lockId())).isEmpty();
                assertThat(admin.find(recentReleased)).isPresent();
            }
        }

        @Test
        void purgeNeverDeletesAnActiveLock() throws Exception {
            LockType type = newType(Duration.ofDays(30));
            try (Holder holder = hold(type, "alice", "req-1")) {
                backdate(holder.lockId(), Duration.ofDays(29), false); // old, but expires tomorrow
                assertThat(admin.purge(Duration.ofSeconds(1))).isGreaterThanOrEqualTo(0);
                assertThat(admin.active(type.name())).map(LockInfo::lockId).hasValue(holder.lockId());
                assertThatThrownBy(() -> application.execute(type, "req-2", "bob", lock -> "x"))
                        .isInstanceOf(ApiLockAcquireException.class);
            }
        }

        @Test
        void purgeTakesEveryAgeUpToTheLongest() {
            LockType type = newType(MINUTE);
            String lockId = application.execute(type, "req-1", "alice", LockHandle::lockId);
            assertThat(admin.purge(LockAdmin.MAX_PURGE_AGE)).isGreaterThanOrEqualTo(0);
            assertThat(admin.purge(Duration.ofSeconds(Integer.MAX_VALUE + 1L))).isGreaterThanOrEqualTo(0);
            assertThat(admin.find(lockId)).isPresent();
        }

        @Test
        void purgeJudgesAgeByTheDatabaseClock() {
            LockType type = newType(MINUTE);
            String lockId = application.execute(type, "req-1", "alice", LockHandle::lockId);
            Instant acquired = admin.find(lockId).orElseThrow().acquiredAt();
            assertThat(admin.databaseNow()).isAfterOrEqualTo(acquired);
            admin.purge(Duration.ofHours(1));
            assertThat(admin.find(lockId)).as("acquired moments ago by the database clock").isPresent();
        }
    }

    @Nested
    class InvalidInput {

        @ParameterizedTest
        @ValueSource(strings = {"", "  ", "bad type", "type;DROP TABLE api_locks", "tÿpe", "o'brien"})
        void badTypeNamesAreRejectedNamingTheValue(String name) {
            List<String> before = table.snapshot();
            assertThatThrownBy(() -> admin.forceRelease(name)).isInstanceOf(ApiLockSetupException.class)
                    .hasMessageContaining("Lock type name").hasMessageContaining("'" + name + "'");
            assertThatThrownBy(() -> admin.active(name)).isInstanceOf(ApiLockSetupException.class);
            assertThatThrownBy(() -> admin.history(name, 10)).isInstanceOf(ApiLockSetupException.class);
            assertThat(table.snapshot()).isEqualTo(before);
        }

        @Test
        void nullAndOverlongTypeNamesAreRejected() {
            assertThatThrownBy(() -> admin.forceRelease(null)).isInstanceOf(ApiLockSetupException.class)
                    .hasMessage("Lock type name must not be null");
            assertThatThrownBy(() -> admin.active("x".repeat(129))).isInstanceOf(ApiLockSetupException.class)
                    .hasMessageContaining("at most 128 characters, was 129");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "not-a-ulid", "01ARZ3NDEKTSV4RRFFQ69G5FA", "01ARZ3NDEKTSV4RRFFQ69G5FAV' OR '1'='1"})
        void badLockIdsAreRejectedNamingTheValue(String lockId) {
            List<String> before = table.snapshot();
            assertThatThrownBy(() -> admin.release(lockId)).isInstanceOf(ApiLockSetupException.class)
                    .hasMessageStartingWith("Lock id must")
                    .hasMessageContaining("'" + (lockId.length() > 40 ? lockId.substring(0, 40) : lockId));
            assertThat(table.snapshot()).isEqualTo(before);
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1, LockAdmin.MAX_HISTORY_LIMIT + 1})
        void badHistoryLimitsAreRejected(int limit) {
            assertThatThrownBy(() -> admin.history(limit)).isInstanceOf(ApiLockSetupException.class)
                    .hasMessageContaining("was " + limit);
            assertThatThrownBy(() -> admin.history("some_type", limit)).isInstanceOf(ApiLockSetupException.class);
        }

        @Test
        void badPurgeAgesAreRejectedWithNothingDeleted() {
            application.execute(newType(MINUTE), "req-1", "alice", lock -> null);
            List<String> before = table.snapshot();
            assertThatThrownBy(() -> admin.purge(null)).isInstanceOf(ApiLockSetupException.class);
            for (Duration bad : List.of(Duration.ZERO, Duration.ofSeconds(-5), Duration.ofMillis(1500),
                    Duration.ofDays(40_000))) {
                assertThatThrownBy(() -> admin.purge(bad)).isInstanceOf(ApiLockSetupException.class)
                        .hasMessageContaining("was " + bad);
            }
            assertThat(table.snapshot()).isEqualTo(before);
        }
    }

    /** A lock held by another thread through the application's template until closed. */
    static final class Holder implements AutoCloseable {

        private final CountDownLatch done = new CountDownLatch(1);
        private final Thread thread;
        private volatile LockHandle handle;

        private Holder(Thread thread) {
            this.thread = thread;
        }

        static Holder start(LockTemplate template, LockType type, String user, String reference)
                throws InterruptedException {
            CountDownLatch held = new CountDownLatch(1);
            Holder[] self = new Holder[1];
            Thread thread = new Thread(() -> template.execute(type, reference, user, lock -> {
                self[0].handle = lock;
                held.countDown();
                try {
                    self[0].done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }), "holder-" + type.name());
            self[0] = new Holder(thread);
            thread.start();
            if (!held.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("holder of " + type.name() + " did not get its lock");
            }
            return self[0];
        }

        String lockId() {
            return handle.lockId();
        }

        long fencingToken() {
            return handle.fencingToken();
        }

        @Override
        public void close() throws InterruptedException {
            done.countDown();
            thread.join(30_000);
        }
    }
}

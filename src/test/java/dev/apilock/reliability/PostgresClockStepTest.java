package dev.apilock.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apilock.ApiLockAcquireException;
import dev.apilock.ApiLockLostException;
import dev.apilock.LockHandle;
import dev.apilock.LockListener;
import dev.apilock.LockTable;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import dev.apilock.TestDatabase;
import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The database host's clock stepped while locks are held, as an NTP step would: a private
 * PostgreSQL cluster runs on a clock of the test's ({@link SteppedClock}). apilock judges expiry
 * by the database clock, so a step forward beyond a lock's expiry expires it at once and admits a
 * second holder while the first still runs, and a step backward keeps a lock held longer by the
 * step. The holder's own view does not follow the database clock: {@link LockHandle#isHeld()}
 * counts its lease on the monotonic clock and ends with it either way, and a keep-alive learns of
 * a forward step at its next extension. Fencing tokens never repeat and never go back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresClockStepTest {

    private static final Duration FORWARD = Duration.ofSeconds(120);
    private static final Duration BACKWARD = Duration.ofSeconds(5);
    /** What polling and a loaded machine add to a measured moment. */
    private static final Duration SLACK = Duration.ofMillis(1_000);
    private static final int ROUNDS = Boolean.getBoolean("apilock.soak") ? 10 : 1;

    private SteppedClock clock;
    private PrivatePostgres cluster;
    private TestDatabase database;
    private LockTable table;
    private final List<AutoCloseable> resources = new ArrayList<>();
    /** The sum of the backward steps so far: how far the history's times may be out of order. */
    private Duration backward = Duration.ZERO;
    private int typeCounter;

    @BeforeAll
    void startCluster() throws IOException {
        PrivatePostgres.assumeAvailable("clock step", SteppedClock.unavailableReason());
        clock = SteppedClock.create();
        cluster = PrivatePostgres.start(List.of(), clock.environment());
        database = TestDatabase.attach(TestDatabase.Kind.POSTGRESQL, cluster.url(), "postgres", "");
        table = new LockTable(database);
    }

    @AfterAll
    void stopCluster() {
        if (database != null) {
            database.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (clock != null) {
            clock.close();
        }
    }

    /** The test's instances closed (a soak makes many), then the history checked. */
    @AfterEach
    void closeInstancesAndCheckHistory() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        resources.clear();
        HistoryAfterClockSteps.assertConsistent(table, backward);
    }

    private LockType newType(Duration expiry) {
        return LockType.of("clock-" + (++typeCounter), expiry);
    }

    private LockTemplate instance(String name, LockListener listener) {
        EntityManagerFactory factory = PrivatePostgres.lockUnit(cluster.url(), name, 2, resources);
        return LockTemplate.builder(factory).listener(listener).build();
    }

    /** Steps the database clock and waits until the server reads it so. */
    private void step(Duration step) {
        clock.step(step);
        if (step.isNegative()) {
            backward = backward.plus(step.negated());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (Duration.between(Instant.now().plus(clock.offset()), database.now()).abs().compareTo(SLACK) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the database clock did not follow the step to " + clock.offset());
            }
            ReliabilityDatabase.sleep(20);
        }
    }

    /**
     * The longest a handle may say held, in milliseconds after {@code sent}, the moment before the
     * acquisition was sent, when its callback has just begun: the expiry plus the acquisition's round
     * trip. The handle counts the expiry from the acquiring transaction's start, which comes after
     * the send, to the expiry the database stamped at its insert, which comes before the answer;
     * plus the polling's few milliseconds.
     */
    private static long leaseBound(Duration expiry, long sent) {
        return expiry.toMillis() + millisSince(sent) + 10;
    }

    /**
     * Polls the handle until it says it is no longer held; returns how long after {@code sent} it
     * last said held, an upper bound of its lease's end as the handle counts it.
     */
    private static long lastSeenHeld(LockHandle lock, long sent) {
        long seen = sent;
        while (true) {
            long now = System.nanoTime();
            if (!lock.isHeld()) {
                return (seen - sent) / 1_000_000;
            }
            seen = now;
            ReliabilityDatabase.sleep(2);
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /**
     * A step forward beyond the expiry: another instance gets the lock at once, with a higher
     * token, while the first holder's callback runs and its handle still says held. The handle
     * says so until its lease, counted on the monotonic clock from before the acquisition was
     * sent, has run out, and no longer; its next extension finds the lock gone, and its release
     * finds it reclaimed.
     */
    @Test
    void aForwardStepAdmitsASecondHolderAtOnceWhileTheFirstHandleStaysHeldUntilItsLeaseAtMost() {
        LockTemplate first = instance("forward-first", LockListener.NONE);
        LockTemplate second = instance("forward-second", LockListener.NONE);
        for (int round = 0; round < ROUNDS; round++) {
            forwardStepWhileHolding(first, second);
        }
    }

    private void forwardStepWhileHolding(LockTemplate first, LockTemplate second) {
        Duration expiry = Duration.ofSeconds(3);
        LockType type = newType(expiry);
        long sent = System.nanoTime();
        LockHandle held = first.execute(type, "req-1", "alice", lock -> {
            long lease = leaseBound(expiry, sent);
            step(FORWARD);
            long taking = System.nanoTime();
            LockHandle taken = second.execute(type, "req-2", "bob", l -> l);
            long takenAt = System.nanoTime();
            assertThat(taken.fencingToken()).isGreaterThan(lock.fencingToken());
            assertThat(lock.isHeld()).as("the first holder, by its monotonic lease, still holds").isTrue();
            long heldFor = lastSeenHeld(lock, sent);
            assertThat(heldFor).as("held by its handle no longer than its lease").isLessThanOrEqualTo(lease);
            assertThatThrownBy(lock::checkHeld).isInstanceOf(ApiLockLostException.class);
            assertThat(lock.extend(expiry)).as("the extension finds the lock gone").isFalse();
            System.out.printf("RELIABILITY POSTGRESQL clock stepped %d s forward while holding (%d s expiry): a second"
                    + " holder got the lock %d ms after the step with token %d > %d; the first handle said held for %d ms"
                    + " more, %d ms after its acquisition was sent (its lease); its extension then returned false%n",
                    FORWARD.toSeconds(), expiry.toSeconds(), (takenAt - taking) / 1_000_000, taken.fencingToken(),
                    lock.fencingToken(), (System.nanoTime() - takenAt) / 1_000_000, heldFor);
            return lock;
        });
        assertThat(table.count("id = ? AND release_reason = 'EXPIRED'", held.lockId())).isEqualTo(1);
    }

    /**
     * A keep-alive lock stepped past its expiry: the keep-alive's next extension, a third of the
     * expiry after the last, finds it gone and marks the handle lost.
     */
    @Test
    void aForwardStepIsFoundByTheKeepAliveAtItsNextExtension() throws Exception {
        Duration expiry = Duration.ofSeconds(3);
        LockType type = newType(expiry).withKeepAlive();
        CompletableFuture<Long> lostAt = new CompletableFuture<>();
        LockTemplate first = instance("keep-alive-first", new LockListener() {
            @Override
            public void lost(LockHandle lock, String reason) {
                lostAt.complete(System.nanoTime());
            }
        });
        LockTemplate second = instance("keep-alive-second", LockListener.NONE);
        first.execute(type, "req-1", "alice", lock -> {
            ReliabilityDatabase.sleep(300);
            long stepped = System.nanoTime();
            step(FORWARD);
            long lostAfter;
            try {
                lostAfter = (lostAt.get(expiry.toMillis(), TimeUnit.MILLISECONDS) - stepped) / 1_000_000;
            } catch (Exception e) {
                throw new AssertionError("the keep-alive never marked the lock lost", e);
            }
            assertThat(lock.isHeld()).isFalse();
            assertThat(Duration.ofMillis(lostAfter)).as("lost at the next extension")
                    .isLessThan(expiry.dividedBy(3).plus(SLACK));
            long token = second.execute(type, "req-2", "bob", LockHandle::fencingToken);
            assertThat(token).isGreaterThan(lock.fencingToken());
            System.out.printf("RELIABILITY POSTGRESQL clock stepped %d s forward under keep-alive (%d s expiry, an"
                    + " extension every %d ms): the handle was marked lost %d ms after the step; the next holder got"
                    + " token %d > %d%n", FORWARD.toSeconds(), expiry.toSeconds(), expiry.dividedBy(3).toMillis(),
                    lostAfter, token, lock.fencingToken());
            return null;
        });
    }

    /**
     * A step backward: the lock is held longer by the step, by the database; others are refused
     * until its expiry comes round on the stepped clock, then get it with a higher token. The
     * holder's handle ends with its lease as ever, well before.
     */
    @Test
    void aBackwardStepHoldsTheLockLongerByTheStepWhileTheHandleEndsWithItsLease() {
        LockTemplate first = instance("backward-first", LockListener.NONE);
        LockTemplate second = instance("backward-second", LockListener.NONE);
        for (int round = 0; round < ROUNDS; round++) {
            backwardStepWhileHolding(first, second);
        }
    }

    private void backwardStepWhileHolding(LockTemplate first, LockTemplate second) {
        Duration expiry = Duration.ofSeconds(3);
        LockType type = newType(expiry);
        long sent = System.nanoTime();
        first.execute(type, "req-1", "alice", lock -> {
            long lease = leaseBound(expiry, sent);
            step(BACKWARD.negated());
            long handleEnded = lastSeenHeld(lock, sent);
            int refusals = 0;
            LockHandle taken = null;
            while (taken == null) {
                try {
                    taken = second.execute(type, "req-2", "bob", l -> l);
                } catch (ApiLockAcquireException refused) {
                    refusals++;
                    ReliabilityDatabase.sleep(100);
                }
            }
            long takenAfter = millisSince(sent);
            assertThat(handleEnded).as("the handle ended with its lease").isLessThanOrEqualTo(lease);
            assertThat(takenAfter).as("held by the database for the expiry and the step")
                    .isBetween(expiry.plus(BACKWARD).minus(SLACK).toMillis(), expiry.plus(BACKWARD).plus(SLACK).toMillis());
            assertThat(taken.fencingToken()).isGreaterThan(lock.fencingToken());
            System.out.printf("RELIABILITY POSTGRESQL clock stepped %d s backward while holding (%d s expiry): the"
                    + " handle said held for %d ms; %d refusals, taken over %d ms after the acquisition with token"
                    + " %d > %d%n", BACKWARD.toSeconds(), expiry.toSeconds(), handleEnded, refusals, takenAfter,
                    taken.fencingToken(), lock.fencingToken());
            return null;
        });
    }

    /**
     * A holder's release after a backward step is stamped before its acquisition, and the next
     * holder's acquisition before the previous one's: the history's times go back by up to the
     * step, its tokens do not ({@link HistoryAfterClockSteps} checks the rest).
     */
    @Test
    void aReleaseAfterABackwardStepIsDatedBeforeItsAcquisitionButTokensStillIncrease() {
        LockType type = newType(Duration.ofSeconds(60));
        LockTemplate instance = instance("backward-release", LockListener.NONE);
        LockHandle first = instance.execute(type, "req-1", "alice", lock -> {
            step(BACKWARD.negated());
            return lock;
        });
        LockHandle next = instance.execute(type, "req-2", "alice", lock -> lock);

        assertThat(next.fencingToken()).isGreaterThan(first.fencingToken());
        Instant acquired = instant("acquired_at", first.lockId());
        Instant released = instant("released_at", first.lockId());
        Instant nextAcquired = instant("acquired_at", next.lockId());
        assertThat(released).isBefore(acquired).isAfter(acquired.minus(BACKWARD));
        assertThat(nextAcquired).isBefore(acquired);
        System.out.printf("RELIABILITY POSTGRESQL clock stepped %d s backward, then released: the release is dated"
                + " %d ms before its acquisition, the next acquisition %d ms before it; tokens %d < %d%n",
                BACKWARD.toSeconds(), Duration.between(released, acquired).toMillis(),
                Duration.between(nextAcquired, acquired).toMillis(), first.fencingToken(), next.fencingToken());
    }

    private Instant instant(String column, String lockId) {
        return Instant.ofEpochMilli(0).plusNanos(1_000 * table.queryLong(
                "SELECT (EXTRACT(EPOCH FROM " + column + ") * 1000000)::bigint FROM api_locks WHERE id = ?", lockId));
    }
}

package dev.apilock.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.apilock.ApiLockAcquireException;
import dev.apilock.ApiLockException;
import dev.apilock.LockHandle;
import dev.apilock.LockListener;
import dev.apilock.LockTable;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import dev.apilock.TestDatabase;
import dev.apilock.reliability.FailoverPair.Replication;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The primary database dies ({@code kill -9}, as its host would) and its streaming standby is
 * promoted, while locks are held and acquisitions run; the clients follow through a multi-host
 * URL. A lock is a committed row, so it survives exactly when the commit reached the standby:
 * with a synchronous standby every acknowledged acquisition does, with an asynchronous one those
 * the standby had not received are lost, and the type is handed out again, to a second holder,
 * with the lost holder's fencing token. A holder's release commits asynchronously even under
 * synchronous replication: lost in a failover, it leaves the lock held until its expiry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresFailoverTest {

    /** Every operation's bound: a commit that waits for a silenced standby fails after it. */
    private static final Duration BOUND = Duration.ofSeconds(2);
    private static final Duration SLACK = Duration.ofMillis(2_500);
    /** How long the failover manager takes to decide that the primary is gone. */
    private static final Duration DETECTION = Duration.ofMillis(500);
    private static final int CYCLES = Boolean.getBoolean("apilock.soak") ? 10 : 1;

    private FailoverPair pair;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private int typeCounter;

    @BeforeAll
    void requireClusters() {
        PrivatePostgres.assumeAvailable("failover", Optional.empty());
    }

    @AfterEach
    void stopClusters() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        resources.clear();
        if (pair != null) {
            pair.close();
            pair = null;
        }
    }

    static List<Replication> replications() {
        return Boolean.getBoolean("apilock.soak") ? List.of(Replication.values()) : List.of(Replication.SYNCHRONOUS);
    }

    private LockType newType(Duration expiry) {
        return LockType.of("failover-" + (++typeCounter), expiry);
    }

    /** An application instance: a pool of its own on the multi-host URL, every operation bounded. */
    private LockTemplate instance(String name, LockListener listener) {
        EntityManagerFactory factory = PrivatePostgres.lockUnit(pair.url(), name, 2, resources);
        return LockTemplate.builder(factory).listener(listener).operationTimeout(BOUND).build();
    }

    /**
     * Holders keep two locks across the failover while two instances contend for two more types
     * in a loop of short callbacks. Synchronous: nothing acknowledged is lost, the held locks are
     * still held on the new primary, no two callbacks of a type overlap, each type's tokens only
     * go up. Asynchronous: the same is measured and reported; on a quiet loopback the standby is
     * rarely behind, so little or nothing is lost (the silenced test below makes it certain): run
     * only in the soak, where each runs {@link #CYCLES} times.
     */
    @ParameterizedTest
    @MethodSource("replications")
    void locksHeldAndAcquisitionsRunningAcrossAKilledPrimaryAndAPromotedStandby(Replication replication)
            throws Exception {
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            pair = FailoverPair.start(replication);
            FailoverRun run = new FailoverRun();
            LockTemplate other = instance("failover-other", LockListener.NONE);
            LockTemplate holder = instance("failover-holder", run.listener);
            List<CompletableFuture<String>> holders = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                LockType type = newType(Duration.ofSeconds(60));
                holders.add(onThreadOfItsOwn(() -> holder.execute(type, "held", "alice",
                        lock -> run.holdAcrossTheFailover(lock, other))));
            }
            List<LockType> contended = List.of(newType(Duration.ofSeconds(4)), newType(Duration.ofSeconds(4)));
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                LockTemplate worker = instance("failover-worker-" + i, run.listener);
                workers.add(run.startWorker("failover-worker-" + i, worker, contended));
            }
            assertThat(run.held.await(10, TimeUnit.SECONDS)).as("both locks held").isTrue();
            ReliabilityDatabase.sleep(1_000);

            long killed = System.nanoTime();
            pair.failOver(DETECTION);
            long promoted = System.nanoTime();
            run.promoted.countDown();
            run.awaitAcquisitionsAfter(promoted, 3, Duration.ofSeconds(20));
            run.stop.set(true);
            for (Thread worker : workers) {
                worker.join(10_000);
            }
            List<String> heldOutcomes = new ArrayList<>();
            for (CompletableFuture<String> outcome : holders) {
                heldOutcomes.add(outcome.get(30, TimeUnit.SECONDS));
            }

            TestDatabase newPrimary = pair.standbyDatabase();
            Map<String, Long> rows = tokensById(newPrimary);
            Set<String> unreleased = unreleasedIds(newPrimary);
            long lost = run.acknowledged.keySet().stream().filter(id -> !run.acknowledged.get(id).equals(rows.get(id)))
                    .count();
            long releasesLost = run.released.stream().filter(unreleased::contains).count();
            Duration promotion = Duration.ofNanos(promoted - killed);
            Duration reconnected = Duration.ofNanos(run.firstAcquisitionAfter(promoted) - promoted);
            if (replication == Replication.SYNCHRONOUS) {
                assertThat(lost).as("acknowledged acquisitions missing on the new primary").isZero();
                assertThat(heldOutcomes).as("held locks refused to others on the new primary").containsOnly("kept");
                assertThat(run.overlaps.get()).as("callbacks of one type overlapping").isZero();
                assertThat(run.tokensBack.get()).as("tokens not above the type's previous one").isZero();
            }
            new LockTable(newPrimary).assertConsistent();
            System.out.printf("RELIABILITY POSTGRESQL failover (%s, cycle %d): %d acquisitions acknowledged, %d of them"
                    + " missing after promotion; held locks %s; %d overlaps, %d tokens not increasing; %d of %d"
                    + " acknowledged releases lost (held until expiry); %d acquisitions failed meanwhile; promoted %d ms"
                    + " after the kill, first acquisition %d ms after the promotion%n", replication, cycle,
                    run.acknowledged.size(), lost, heldOutcomes, run.overlaps.get(), run.tokensBack.get(), releasesLost,
                    run.released.size(), run.failures.get(), promotion.toMillis(), reconnected.toMillis());
            stopClusters();
        }
    }

    /**
     * With the synchronous standby silenced (its connection open, nothing arriving), a commit
     * waits for it: acquisitions fail at their bound with {@code ApiLockException}, none is
     * acknowledged, so none can be lost. A holder's release does not wait (it commits
     * asynchronously) and returns; the failover loses it, and the lock stays held on the new
     * primary until its expiry, then is taken over with a higher token: never two holders.
     */
    @Test
    void aSilencedSynchronousStandbyFailsAcquisitionsAtTheirBoundAndAFailoverLosesOnlyARelease() throws Exception {
        pair = FailoverPair.start(Replication.SYNCHRONOUS);
        AtomicInteger releases = new AtomicInteger();
        LockTemplate instance = instance("sync-silent", new LockListener() {
            @Override
            public void released(LockHandle lock, Duration heldFor) {
                releases.incrementAndGet();
            }
        });
        LockTemplate other = instance("sync-silent-other", LockListener.NONE);
        LockType releasedType = newType(Duration.ofSeconds(10));
        LockHandle released = instance.execute(releasedType, "req-1", "alice", lock -> {
            pair.silenceReplication();
            return lock;
        });
        assertThat(releases.get()).as("the release returned, acknowledged").isEqualTo(1);

        List<Long> took = new ArrayList<>();
        List<LockType> failed = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            LockType type = newType(Duration.ofSeconds(30));
            String reference = "req-" + i;
            long start = System.nanoTime();
            ApiLockException failure = catchThrowableOfType(ApiLockException.class,
                    () -> instance.execute(type, reference, "alice", lock -> "must not run"));
            took.add((System.nanoTime() - start) / 1_000_000);
            assertThat(failure).isNotNull().isNotInstanceOf(ApiLockAcquireException.class);
            assertThat(failure.getMessage()).startsWith("Could not acquire lock");
            assertThat(Duration.ofMillis(took.get(i))).isLessThan(BOUND.plus(SLACK));
            failed.add(type);
        }

        pair.failOver(DETECTION);
        for (LockType type : failed) {
            long token = retryingConnections(() -> other.execute(type, "after", "bob", LockHandle::fencingToken));
            assertThat(token).as("nothing of the failed acquisition reached the new primary").isEqualTo(1);
        }
        TestDatabase newPrimary = pair.standbyDatabase();
        assertThat(unreleasedIds(newPrimary)).as("the release was lost: the lock is held again").contains(released.lockId());
        int refusals = 0;
        long taken;
        while (true) {
            try {
                taken = other.execute(releasedType, "takeover", "bob", LockHandle::fencingToken);
                break;
            } catch (ApiLockAcquireException refused) {
                refusals++;
                assertThat(refused.holder()).map(h -> h.lockId()).hasValue(released.lockId());
                ReliabilityDatabase.sleep(200);
            }
        }
        assertThat(refusals).as("refused until the expiry").isPositive();
        assertThat(newPrimary.now()).isAfterOrEqualTo(released.expiresAt());
        assertThat(taken).isGreaterThan(released.fencingToken());
        new LockTable(newPrimary).assertConsistent();
        System.out.printf("RELIABILITY POSTGRESQL failover, synchronous standby silenced: 2 acquisitions failed after"
                + " %s ms (bound %d ms), none acknowledged, none on the new primary; the acknowledged release was lost:"
                + " %d refusals until its expiry, then taken over with token %d > %d%n", took, BOUND.toMillis(), refusals,
                taken, released.fencingToken());
    }

    /**
     * With an asynchronous standby silenced, the primary acknowledges what the standby never
     * gets. After the failover every acquisition since the silence is gone: its type is handed to
     * a second holder while the first still holds and believes it does, with the same fencing
     * token. A lock the standby had received is still held.
     */
    @Test
    void aSilencedAsynchronousStandbyLosesAcknowledgedAcquisitionsAndAdmitsASecondHolderWithTheSameToken()
            throws Exception {
        pair = FailoverPair.start(Replication.ASYNCHRONOUS);
        LockTemplate instance = instance("async-silent", LockListener.NONE);
        LockTemplate other = instance("async-silent-other", LockListener.NONE);
        LockType replicated = newType(Duration.ofSeconds(60));
        LockType lostHeld = newType(Duration.ofSeconds(60));
        LockType lostReleased = newType(Duration.ofSeconds(60));
        instance.execute(lostHeld, "before", "alice", LockHandle::fencingToken);
        CountDownLatch promoted = new CountDownLatch(1);
        HoldingThread before = HoldingThread.start(instance, replicated, promoted);
        pair.awaitStandbyCaughtUp();

        pair.silenceReplication();
        HoldingThread after = HoldingThread.start(instance, lostHeld, promoted);
        List<Long> releasedTokens = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            releasedTokens.add(instance.execute(lostReleased, "req-" + i, "alice", LockHandle::fencingToken));
        }
        pair.failOver(DETECTION);

        ApiLockAcquireException refused = retryingConnections(() -> catchThrowableOfType(ApiLockAcquireException.class,
                () -> other.execute(replicated, "after", "bob", l -> "x")));
        assertThat(refused).as("the lock the standby had is still held").isNotNull();
        assertThat(refused.holder()).map(h -> h.lockId()).hasValue(before.lock().lockId());
        LockHandle second = retryingConnections(() -> other.execute(lostHeld, "after", "bob", lock -> {
            assertThat(after.lock().isHeld()).as("the first holder still believes it holds").isTrue();
            return lock;
        }));
        long nextReleased = other.execute(lostReleased, "after", "bob", LockHandle::fencingToken);
        promoted.countDown();
        before.join();
        after.join();

        Map<String, Long> rows = tokensById(pair.standbyDatabase());
        assertThat(rows).doesNotContainKey(after.lock().lockId());
        assertThat(second.fencingToken()).as("the lost holder's token, handed out again").isEqualTo(after.lock().fencingToken());
        assertThat(nextReleased).as("the first of the lost tokens, again").isEqualTo(releasedTokens.get(0));
        new LockTable(pair.standbyDatabase()).assertConsistent();
        System.out.printf("RELIABILITY POSTGRESQL failover, asynchronous standby silenced: 11 of 11 acquisitions"
                + " acknowledged since the silence lost (the lock held by %s, released tokens %s); a second holder got"
                + " the held type while the first believed it held, both with token %d; the next holder of the"
                + " released type got token %d again; the lock held before the silence survived%n",
                after.lock().lockId(), releasedTokens, second.fencingToken(), nextReleased);
    }

    /** Retries while the clients find no primary yet (the pool's and the driver's errors), for 20 s at most. */
    private static <T> T retryingConnections(Supplier<T> operation) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                return operation.get();
            } catch (ApiLockException e) {
                if (e instanceof ApiLockAcquireException || System.nanoTime() > deadline) {
                    throw e;
                }
                ReliabilityDatabase.sleep(100);
            }
        }
    }

    /** Work on a thread of its own: the common pool may have a single thread on a small machine. */
    private static <T> CompletableFuture<T> onThreadOfItsOwn(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "failover-holder");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    private static Map<String, Long> tokensById(TestDatabase database) {
        Map<String, Long> tokens = new HashMap<>();
        query(database, "SELECT id, fencing_token FROM api_locks", rs -> tokens.put(rs.getString(1), rs.getLong(2)));
        return tokens;
    }

    private static Set<String> unreleasedIds(TestDatabase database) {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        query(database, "SELECT id FROM api_locks WHERE NOT released", rs -> ids.add(rs.getString(1)));
        return ids;
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private static void query(TestDatabase database, String sql, RowReader reader) {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                reader.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** A thread that holds a lock until told, then releases it. */
    private static final class HoldingThread {
        private final CompletableFuture<LockHandle> acquired = new CompletableFuture<>();
        private final CompletableFuture<Object> done;

        private HoldingThread(LockTemplate instance, LockType type, CountDownLatch until) {
            done = onThreadOfItsOwn(() -> instance.execute(type, "held", "alice", lock -> {
                acquired.complete(lock);
                await(until);
                return null;
            })).whenComplete((result, failure) -> {
                if (failure != null) {
                    acquired.completeExceptionally(failure);
                }
            });
        }

        static HoldingThread start(LockTemplate instance, LockType type, CountDownLatch until) {
            HoldingThread thread = new HoldingThread(instance, type, until);
            thread.lock();
            return thread;
        }

        LockHandle lock() {
            try {
                return acquired.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("not acquired", e);
            }
        }

        void join() throws Exception {
            done.get(30, TimeUnit.SECONDS);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the clients saw of one failover: acknowledged acquisitions and releases, overlaps, failures. */
    private static final class FailoverRun {
        final CountDownLatch held = new CountDownLatch(2);
        final CountDownLatch promoted = new CountDownLatch(1);
        final AtomicBoolean stop = new AtomicBoolean();
        /** Lock id to fencing token, for every callback that ran. */
        final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        final Map<String, Long> acknowledgedAt = new ConcurrentHashMap<>();
        /** Locks whose release returned successfully. */
        final Set<String> released = ConcurrentHashMap.newKeySet();
        final AtomicInteger overlaps = new AtomicInteger();
        final AtomicInteger tokensBack = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        private final Map<String, AtomicInteger> inside = new ConcurrentHashMap<>();
        private final Map<String, Long> lastToken = new ConcurrentHashMap<>();

        final LockListener listener = new LockListener() {
            @Override
            public void released(LockHandle lock, Duration heldFor) {
                released.add(lock.lockId());
            }
        };

        /** In the callback: counts an overlap if another callback of the type is inside, a token that did not go up. */
        void entered(LockHandle lock) {
            String type = lock.type().name();
            if (inside.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            Long previous = lastToken.put(type, lock.fencingToken());
            if (previous != null && previous >= lock.fencingToken()) {
                tokensBack.incrementAndGet();
            }
            acknowledged.put(lock.lockId(), lock.fencingToken());
            acknowledgedAt.put(lock.lockId(), System.nanoTime());
        }

        void left(LockHandle lock) {
            inside.get(lock.type().name()).decrementAndGet();
        }

        /** A holder's callback: holds until the standby is promoted, then checks that nobody else gets the lock. */
        String holdAcrossTheFailover(LockHandle lock, LockTemplate other) {
            entered(lock);
            held.countDown();
            PostgresFailoverTest.await(promoted);
            try {
                ApiLockAcquireException refused = retryingConnections(() -> catchThrowableOfType(
                        ApiLockAcquireException.class, () -> other.execute(lock.type(), "other", "bob", l -> {
                            entered(l);
                            left(l);
                            return "x";
                        })));
                return refused != null && refused.holder().map(h -> h.lockId()).orElse("").equals(lock.lockId())
                        ? "kept" : "taken";
            } finally {
                left(lock);
            }
        }

        Thread startWorker(String name, LockTemplate worker, List<LockType> types) {
            Thread thread = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        worker.execute(types.get(i % types.size()), "work-" + i, name, lock -> {
                            entered(lock);
                            try {
                                ReliabilityDatabase.sleep(20);
                            } finally {
                                left(lock);
                            }
                            return null;
                        });
                    } catch (ApiLockAcquireException refused) {
                        ReliabilityDatabase.sleep(5);
                    } catch (ApiLockException failed) {
                        failures.incrementAndGet();
                        ReliabilityDatabase.sleep(50);
                    }
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        void awaitAcquisitionsAfter(long nanos, int count, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (acknowledgedAt.values().stream().filter(at -> at - nanos > 0).count() < count) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("fewer than " + count + " acquisitions after the promotion in " + timeout);
                }
                ReliabilityDatabase.sleep(50);
            }
        }

        long firstAcquisitionAfter(long nanos) {
            return acknowledgedAt.values().stream().filter(at -> at - nanos > 0).min(Long::compare).orElseThrow();
        }
    }
}

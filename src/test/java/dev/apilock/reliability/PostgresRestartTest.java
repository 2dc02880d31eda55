package dev.apilock.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apilock.ApiLockAcquireException;
import dev.apilock.ApiLockException;
import dev.apilock.LockHandle;
import dev.apilock.LockTable;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import dev.apilock.TestDatabase;
import dev.apilock.LockInfo;
import dev.apilock.store.AcquireAttempt;
import dev.apilock.store.ApiLockRepository;
import dev.apilock.store.Lease;
import dev.apilock.store.NewLock;
import com.github.f4b6a3.ulid.UlidCreator;
import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The database server restarting under the lock, on a private PostgreSQL cluster of this test.
 * Locks are rows: a held lock survives a restart, and so do the fencing tokens, even through a
 * crash; acquisitions and extensions are durable, a holder's release may be lost to a crash and
 * then expires.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresRestartTest {

    private static final int POOL_SIZE = 2;

    private PrivatePostgres cluster;
    private TestDatabase database;
    private LockTable table;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private int typeCounter;

    @BeforeAll
    void startCluster() throws IOException {
        PrivatePostgres.assumeAvailable("restart", Optional.empty());
        cluster = PrivatePostgres.start();
        database = TestDatabase.attach(TestDatabase.Kind.POSTGRESQL, cluster.url(), "postgres", "");
        table = new LockTable(database);
    }

    @AfterAll
    void stopCluster() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        if (database != null) {
            database.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void historyStaysConsistent() {
        table.assertConsistent();
    }

    private LockType newType(Duration expiry) {
        return LockType.of("restart-" + (++typeCounter), expiry);
    }

    private LockTemplate instance(String name) {
        EntityManagerFactory factory = PrivatePostgres.lockUnit(cluster.url(), name, POOL_SIZE, resources);
        return new LockTemplate(factory);
    }

    /**
     * HikariCP checks a connection idle for longer than its alive-bypass window (500 ms) before
     * handing it out: once that has passed since the restart, the first acquisition meets a
     * checked, fresh connection.
     */
    @Test
    void acquisitionAfterARestartSucceedsOnceThePoolHasCheckedItsConnections() throws IOException {
        LockType type = newType(Duration.ofSeconds(60));
        LockTemplate instance = instance("restart-between");
        long before = instance.execute(type, "req-1", "alice", LockHandle::fencingToken);

        long start = System.nanoTime();
        cluster.restart();
        long restartMillis = (System.nanoTime() - start) / 1_000_000;
        ReliabilityDatabase.sleep(600);

        long after = instance.execute(type, "req-2", "alice", LockHandle::fencingToken);
        assertThat(after).isGreaterThan(before);
        assertThat(table.count("lock_type = ? AND release_reason = 'RELEASED'", type.name())).isEqualTo(2);
        System.out.printf("RELIABILITY POSTGRESQL restart between acquisitions (%d ms): next acquisition succeeded,"
                + " tokens %d < %d%n", restartMillis, before, after);
    }

    /**
     * Right after a restart, a pooled connection used within the last 500 ms is handed out
     * unchecked and the acquisition fails on it with the server's reason; the pool then evicts
     * it. At most one failure per pooled connection, then locking works again.
     */
    @Test
    void acquisitionRacingARestartFailsClearlyAtMostOncePerPooledConnection() throws IOException {
        LockType type = newType(Duration.ofSeconds(60));
        LockTemplate instance = instance("restart-racing");
        instance.execute(type, "req-1", "alice", LockHandle::fencingToken);
        cluster.restart();

        List<String> failures = new ArrayList<>();
        String acquired = null;
        for (int attempt = 0; attempt <= POOL_SIZE && acquired == null; attempt++) {
            try {
                acquired = instance.execute(type, "req-2", "alice", LockHandle::lockId);
            } catch (ApiLockException e) {
                assertThat(e).isExactlyInstanceOf(ApiLockException.class);
                assertThat(e.getMessage()).startsWith("Could not acquire lock ")
                        .containsAnyOf("terminating connection due to administrator command", "I/O error");
                failures.add(e.getMessage());
            }
        }
        assertThat(acquired).as("acquired within " + (POOL_SIZE + 1) + " attempts; failures: " + failures).isNotNull();
        assertThat(table.count("lock_type = ?", type.name())).isEqualTo(2);
        System.out.printf("RELIABILITY POSTGRESQL acquisition racing a restart: %d failed attempt(s) %s, then"
                + " acquired%n", failures.size(), failures);
    }

    @Test
    void heldLockSurvivesARestartAndIsReleasedAfterIt() {
        LockType type = newType(Duration.ofSeconds(60));
        LockTemplate holder = instance("restart-holder");
        LockTemplate other = instance("restart-other");

        String held = holder.execute(type, "req-1", "alice", lock -> {
            restart(false);
            assertThatThrownBy(() -> other.execute(type, "req-2", "bob", l -> "x"))
                    .as("the lock is a committed row: still held after the restart")
                    .isInstanceOfSatisfying(ApiLockAcquireException.class,
                            refused -> assertThat(refused.holder()).map(h -> h.lockId()).hasValue(lock.lockId()));
            return lock.lockId();
        });

        assertThat(table.count("id = ? AND release_reason = 'RELEASED'", held))
                .as("released after the restart on a fresh pooled connection").isEqualTo(1);
        String free = other.execute(type, "req-3", "bob", l -> "free");
        assertThat(free).isEqualTo("free");
        assertThat(table.count("lock_type = ?", type.name())).isEqualTo(2);
    }

    /**
     * {@code -m immediate} kills the server without a checkpoint; it recovers from its WAL. The
     * held lock and the history are intact, and the type's fencing tokens go on from where they
     * were: they live in the holder row, committed with each acquisition.
     */
    @Test
    void crashRestartKeepsTheHistoryAndFencingTokensKeepIncreasing() {
        LockType type = newType(Duration.ofSeconds(60));
        LockTemplate instance = instance("crash");
        List<Long> tokens = new ArrayList<>();
        tokens.add(instance.execute(type, "req-1", "alice", LockHandle::fencingToken));
        tokens.add(instance.execute(type, "req-2", "alice", lock -> {
            restart(true);
            assertThat(table.count("id = ? AND NOT released", lock.lockId())).as("held through the crash").isEqualTo(1);
            return lock.fencingToken();
        }));
        tokens.add(instance.execute(type, "req-3", "alice", LockHandle::fencingToken));

        assertThat(tokens).isSorted().doesNotHaveDuplicates();
        assertThat(table.count("lock_type = ? AND release_reason = 'RELEASED'", type.name())).isEqualTo(3);
        System.out.printf("RELIABILITY POSTGRESQL crash restart while holding: tokens %s%n", tokens);
    }

    /**
     * Acquisitions and extensions are durable: a crash (immediate shutdown, no checkpoint) right
     * after they returned loses none of them. The holder rows and history rows are there after
     * recovery, unreleased, with the extended expiry, and refuse every other acquirer.
     */
    @Test
    void aCrashRightAfterAcquisitionsAndExtensionsReturnedLosesNone() {
        LockTemplate other = instance("durable-other");
        ApiLockRepository repository = repository("durable");
        List<LockInfo> held = new ArrayList<>();
        List<Lease> extended = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            LockType type = newType(Duration.ofSeconds(120));
            AcquireAttempt attempt = repository.tryAcquire(new NewLock(UlidCreator.getMonotonicUlid().toString(),
                    type.name(), 120, "alice", "req-" + i));
            assertThat(attempt.acquired()).isTrue();
            held.add(attempt.holder());
            if (i % 2 == 0) {
                extended.add(repository.extend(type.name(), attempt.holder().lockId(), 600).orElseThrow());
            }
        }
        restart(true);

        for (int i = 0; i < held.size(); i++) {
            LockInfo lock = held.get(i);
            assertThat(table.count("id = ? AND NOT released", lock.lockId())).as("history of " + lock.lockId()).isEqualTo(1);
            assertThat(table.queryLong("SELECT COUNT(*) FROM api_lock_holders WHERE lock_id = ? AND NOT released"
                    + " AND fencing_token = ?", lock.lockId(), lock.fencingToken())).isEqualTo(1);
            LockType type = LockType.of(lock.lockType(), Duration.ofSeconds(60));
            assertThatThrownBy(() -> other.execute(type, "req-other", "bob", l -> "x"))
                    .isInstanceOf(ApiLockAcquireException.class);
            if (i % 2 == 0) {
                assertThat(table.queryLong("SELECT COUNT(*) FROM api_lock_holders WHERE lock_id = ? AND expires_at = ?",
                        lock.lockId(), java.time.OffsetDateTime.ofInstant(extended.get(i / 2).expiresAt(),
                                java.time.ZoneOffset.UTC))).as("extension of " + lock.lockId()).isEqualTo(1);
            }
        }
        System.out.printf("RELIABILITY POSTGRESQL crash right after %d acquisitions and %d extensions: none lost%n",
                held.size(), extended.size());
    }

    /**
     * A holder's release commits asynchronously: a crash right after it returned may lose it. Each
     * lock is then either released, or still held by the crashed-away release's holder until its own
     * expiry, never less, and taken over after it with a higher token. Nothing else is lost.
     */
    @Test
    void aCrashRightAfterReleasesLeavesEachLockReleasedOrExpiringByItself() {
        LockTemplate instance = instance("async-release");
        List<LockHandle> released = new ArrayList<>();
        List<LockType> types = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            LockType type = newType(Duration.ofSeconds(3));
            types.add(type);
            released.add(instance.execute(type, "req-" + i, "alice", lock -> lock));
        }
        restart(true);

        int kept = 0;
        for (int i = 0; i < released.size(); i++) {
            LockHandle lock = released.get(i);
            boolean stillReleased = table.count("id = ? AND released AND release_reason = 'RELEASED'", lock.lockId()) == 1;
            if (stillReleased) {
                kept++;
                assertThat(table.queryLong("SELECT COUNT(*) FROM api_lock_holders WHERE lock_id = ? AND released",
                        lock.lockId())).isEqualTo(1);
            } else {
                assertThat(table.count("id = ? AND NOT released AND expires_at = ?", lock.lockId(),
                        java.time.OffsetDateTime.ofInstant(lock.expiresAt(), java.time.ZoneOffset.UTC)))
                        .as("lost release of " + lock.lockId() + ": held until its own expiry").isEqualTo(1);
            }
        }
        LockTemplate next = instance("async-release-next");
        for (int i = 0; i < released.size(); i++) {
            LockType type = types.get(i);
            long token = next.execute(type, "req-next", "bob", Duration.ofSeconds(10), LockHandle::fencingToken);
            assertThat(token).isGreaterThan(released.get(i).fencingToken());
        }
        System.out.printf("RELIABILITY POSTGRESQL crash right after %d asynchronous releases: %d kept, %d lost"
                + " (held until their expiry, then taken over with higher tokens)%n",
                released.size(), kept, released.size() - kept);
    }

    private ApiLockRepository repository(String name) {
        EntityManagerFactory factory = PrivatePostgres.lockUnit(cluster.url(), name, POOL_SIZE, resources);
        return new ApiLockRepository(factory);
    }

    /** Restarts the cluster, then lets the pool's alive-bypass window pass. */
    private void restart(boolean crash) {
        try {
            if (crash) {
                cluster.crashAndRestart();
            } else {
                cluster.restart();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ReliabilityDatabase.sleep(600);
    }
}

package dev.apilock.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.apilock.ApiLockAcquireException;
import dev.apilock.ApiLockException;
import dev.apilock.ApiLockPersistence;
import dev.apilock.LockHandle;
import dev.apilock.LockTable;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import dev.apilock.TestDatabase;
import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The database server restarting under the lock, on a private PostgreSQL cluster of this test.
 * Locks are rows: a held lock survives a restart, and so does the fencing sequence, even through
 * a crash.
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
        String reason = PrivatePostgres.unavailableReason().orElse(null);
        if (reason != null) {
            String required = System.getenv().getOrDefault("APILOCK_TEST_REQUIRE", "");
            if (required.toLowerCase(Locale.ROOT).contains("postgresql")) {
                throw new IllegalStateException("No private PostgreSQL cluster: " + reason);
            }
            System.err.println("NOTICE: no private PostgreSQL cluster (" + reason + "): the restart tests are SKIPPED.");
            Assumptions.abort(reason);
        }
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
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(cluster.url());
        config.setUsername("postgres");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(2_000);
        config.setPoolName(name);
        HikariDataSource pool = new HikariDataSource(config);
        EntityManagerFactory factory = ApiLockPersistence.createEntityManagerFactory(pool);
        resources.add(pool);
        resources.add(factory::close);
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
     * held lock and the history are intact, and the fencing sequence never goes back (it skips
     * ahead: PostgreSQL logs sequence values in advance).
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

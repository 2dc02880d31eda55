package dev.apilock.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.f4b6a3.ulid.UlidCreator;
import dev.apilock.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The origin's race, reproduced step by step on two PostgreSQL connections with plain JDBC: its
 * conditional insert plus "latest by date, id" check admits two holders under READ COMMITTED.
 * The same interleavings with apilock's statements (the take of the type's holder row, its history
 * row, the holder check) admit one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresRaceTest {

    /** The origin's table: no uniqueness on active locks. */
    private static final String ORIGIN_TABLE = """
            CREATE TABLE origin_api_lock (
              id CHAR(26) PRIMARY KEY, lock_type VARCHAR(128) NOT NULL,
              acquired_at TIMESTAMPTZ NOT NULL DEFAULT now(), expires INTEGER NOT NULL,
              expires_at TIMESTAMPTZ NOT NULL, released BOOLEAN NOT NULL DEFAULT FALSE,
              locked_by VARCHAR(255) NOT NULL, reference_id VARCHAR(255) NOT NULL)""";

    private static final String ORIGIN_INSERT = """
            INSERT INTO origin_api_lock (id, lock_type, expires, expires_at, locked_by, reference_id)
            SELECT ?, ?, 60, now() + INTERVAL '60 seconds', 'user', 'req'
             WHERE NOT EXISTS (SELECT 1 FROM origin_api_lock
                                WHERE lock_type = ? AND NOT released AND expires_at > now())""";

    private static final String ORIGIN_LATEST = """
            SELECT id FROM origin_api_lock WHERE lock_type = ? AND NOT released AND expires_at > now()
             ORDER BY acquired_at DESC, id DESC LIMIT 1""";

    private TestDatabase database;

    @BeforeAll
    void open() throws SQLException {
        database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL, "race");
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute(ORIGIN_TABLE);
        }
    }

    @AfterAll
    void close() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void originAdmitsTwoHoldersWhenEachChecksAfterItsCommit() throws SQLException {
        try (Connection a = transactional(); Connection b = transactional()) {
            String lockA = ulid();
            String lockB = ulid();
            assertThat(originInsert(a, lockA, "t1")).isEqualTo(1);
            assertThat(originInsert(b, lockB, "t1")).as("B does not see A's uncommitted row").isEqualTo(1);
            a.commit();
            assertThat(originLatest(a, "t1")).as("A's check: A holds").isEqualTo(lockA);
            b.commit();
            assertThat(originLatest(b, "t1")).as("B's check: B's later timestamp makes it latest").isEqualTo(lockB);
        }
    }

    @Test
    void originAdmitsTwoHoldersWhenEachChecksBeforeItsCommit() throws SQLException {
        try (Connection x = transactional(); Connection y = transactional()) {
            startTransaction(x); // X's transaction, and so its timestamp, starts first
            String lockX = ulid();
            String lockY = ulid();
            assertThat(originInsert(y, lockY, "t2")).isEqualTo(1);
            assertThat(originInsert(x, lockX, "t2")).isEqualTo(1);
            assertThat(originLatest(x, "t2")).as("X sees only itself: X holds").isEqualTo(lockX);
            x.commit();
            assertThat(originLatest(y, "t2")).as("Y is later than X by transaction start: Y holds").isEqualTo(lockY);
            y.commit();
        }
    }

    @Test
    void apilockAdmitsOneHolderWhenEachChecksAfterItsCommit() throws Exception {
        try (Connection a = transactional(); Connection b = transactional()) {
            NewLock lockA = lock("t3");
            NewLock lockB = lock("t3");
            assertThat(take(a, lockA)).isEqualTo(1);
            assertThat(history(a, lockA)).isEqualTo(1);

            CompletableFuture<Integer> takeB = CompletableFuture.supplyAsync(() -> take(b, lockB));
            awaitLockWait(b);
            assertThat(takeB).as("B waits on A's uncommitted holder row").isNotDone();

            a.commit();
            assertThat(holder(a, lockA)).as("A's check").isEqualTo(lockA.lockId());

            assertThat(takeB.get(10, TimeUnit.SECONDS)).as("B's take: a quiet zero-row conflict").isZero();
            assertThat(history(b, lockB)).isZero();
            b.commit();
            assertThat(holder(b, lockB)).as("B's check names A: B does not hold").isEqualTo(lockA.lockId());
        }
    }

    @Test
    void apilockAdmitsOneHolderWhenEachChecksBeforeItsCommit() throws Exception {
        try (Connection x = transactional(); Connection y = transactional()) {
            startTransaction(x);
            NewLock lockX = lock("t4");
            NewLock lockY = lock("t4");
            assertThat(take(y, lockY)).isEqualTo(1);
            assertThat(history(y, lockY)).isEqualTo(1);

            CompletableFuture<Integer> takeX = CompletableFuture.supplyAsync(() -> take(x, lockX));
            awaitLockWait(x);

            assertThat(holder(y, lockY)).as("Y's check: Y holds").isEqualTo(lockY.lockId());
            y.commit();

            assertThat(takeX.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(history(x, lockX)).isZero();
            assertThat(holder(x, lockX)).as("X's check names Y: X does not hold").isEqualTo(lockY.lockId());
            x.commit();
        }
    }

    /**
     * The steady state: the type's holder row exists, released. Both contenders pass the guard;
     * the second waits for the first's row lock and then judges the row's new version: held.
     */
    @Test
    void apilockAdmitsOneHolderWhenBothFindTheTypeReleased() throws Exception {
        try (Connection setup = database.connect()) {
            NewLock first = lock("t5");
            assertThat(take(setup, first)).isEqualTo(1);
            assertThat(history(setup, first)).isEqualTo(1);
            execute(setup, "UPDATE api_lock_holders SET released = TRUE WHERE lock_type = 't5'");
            execute(setup, "UPDATE api_locks SET released = TRUE, released_at = now(), release_reason = 'RELEASED'"
                    + " WHERE lock_type = 't5'");
        }
        try (Connection a = transactional(); Connection b = transactional()) {
            NewLock lockA = lock("t5");
            NewLock lockB = lock("t5");
            assertThat(take(a, lockA)).isEqualTo(1);
            CompletableFuture<Integer> takeB = CompletableFuture.supplyAsync(() -> take(b, lockB));
            awaitLockWait(b);
            assertThat(history(a, lockA)).isEqualTo(1);
            a.commit();
            assertThat(takeB.get(10, TimeUnit.SECONDS)).as("B judges A's committed row: held").isZero();
            assertThat(history(b, lockB)).isZero();
            b.commit();
            assertThat(holder(b, lockB)).isEqualTo(lockA.lockId());
            assertThat(queryString(b, "SELECT fencing_token FROM api_lock_holders WHERE lock_type = 't5'"))
                    .as("one more token for the one holder").isEqualTo("2");
        }
    }

    private Connection transactional() throws SQLException {
        Connection connection = database.connect();
        connection.setAutoCommit(false);
        return connection;
    }

    private static void startTransaction(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT now()");
        }
        sleepBriefly(); // timestamps of later transactions are strictly later
    }

    private static String ulid() {
        sleepBriefly();
        return UlidCreator.getMonotonicUlid().toString();
    }

    private static NewLock lock(String type) {
        return new NewLock(ulid(), type, 60, "user", "req");
    }

    private static int originInsert(Connection connection, String id, String type) throws SQLException {
        return execute(connection, ORIGIN_INSERT, id, type, type);
    }

    private static String originLatest(Connection connection, String type) throws SQLException {
        return queryString(connection, ORIGIN_LATEST, type);
    }

    private static int take(Connection connection, NewLock lock) {
        try {
            return execute(connection, PostgresLockSql.TAKE, lock.lockType(), lock.lockId(), 60, lock.user(),
                    lock.referenceId(), lock.lockType());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int history(Connection connection, NewLock lock) throws SQLException {
        return execute(connection, PostgresLockSql.HISTORY, 60, lock.lockType(), lock.lockId());
    }

    /** The holder row's lock, if held. */
    private static String holder(Connection connection, NewLock lock) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(PostgresLockSql.HOLDER)) {
            LockSql.bind(statement, lock.lockType());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && !rs.getBoolean(8) ? rs.getString(1) : null;
            }
        }
    }

    /** Waits until the connection's backend is blocked on a lock held by another transaction. */
    private void awaitLockWait(Connection waiting) throws Exception {
        int pid = waiting.unwrap(org.postgresql.PGConnection.class).getBackendPID();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Connection observer = database.connect()) {
            while (System.nanoTime() < deadline) {
                if ("Lock".equals(queryString(observer,
                        "SELECT wait_event_type FROM pg_stat_activity WHERE pid = ?", pid))) {
                    return;
                }
                Thread.sleep(10);
            }
        }
        throw new AssertionError("backend " + pid + " never waited for a lock");
    }

    private static int execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            LockSql.bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    private static String queryString(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            LockSql.bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.apilock.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * What no database lock can beat, measured with the same pool as the libraries: one
 * auto-committed single-row UPDATE (a round trip and a commit), two of them (the physical floor
 * of an acquire plus a release that commit), and on PostgreSQL a session advisory lock plus
 * unlock, on MariaDB {@code GET_LOCK} plus {@code RELEASE_LOCK} (two round trips, no commit, no
 * history, no expiry).
 */
final class Floors {

    static final String ONE_COMMIT = "floor: 1 UPDATE commit";
    static final String TWO_COMMITS = "floor: 2 UPDATE commits";
    static final String ADVISORY = "floor: advisory lock+unlock";

    private static final String UPDATE = "UPDATE bench_floor SET n = n + 1 WHERE id = 1";

    private final DataSource pool;
    private final String lock;
    private final String unlock;

    Floors(BenchDatabase database) throws SQLException {
        this.pool = database.pool("floor");
        this.lock = database.isMariaDb() ? "SELECT GET_LOCK('apilock-bench-floor', 0) = 1" : "SELECT pg_try_advisory_lock(4242)";
        this.unlock = database.isMariaDb() ? "SELECT RELEASE_LOCK('apilock-bench-floor') = 1" : "SELECT pg_advisory_unlock(4242)";
        database.execute("CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)");
        database.execute("INSERT INTO bench_floor (id, n) VALUES (1, 0)");
    }

    DataSource pool() {
        return pool;
    }

    Operation oneCommit() {
        return this::update;
    }

    Operation twoCommits() {
        return () -> update() && update();
    }

    /** PostgreSQL and MariaDB only. */
    Operation advisoryLock() {
        return () -> {
            try (Connection connection = pool.getConnection()) {
                boolean locked = query(connection, lock);
                if (locked && !query(connection, unlock)) {
                    throw new IllegalStateException("the advisory lock was not held at unlock");
                }
                return locked;
            }
        };
    }

    private boolean update() throws SQLException {
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(UPDATE)) {
            return statement.executeUpdate() == 1;
        }
    }

    private static boolean query(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}

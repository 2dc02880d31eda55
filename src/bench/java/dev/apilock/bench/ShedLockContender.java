package dev.apilock.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbc.JdbcLockProvider;

/**
 * ShedLock's plain-JDBC provider with its documented table: one row per lock name, acquire =
 * one UPDATE ({@code lock_until <= now}, client clock), release = one UPDATE. No history, no
 * fencing token. One provider per application instance.
 */
final class ShedLockContender implements Contender {

    private static final Duration LOCK_AT_MOST_FOR = Duration.ofSeconds(60);

    private static final String TABLE = """
            CREATE TABLE shedlock (name VARCHAR(64) NOT NULL, lock_until TIMESTAMP NOT NULL,
                                   locked_at TIMESTAMP NOT NULL, locked_by VARCHAR(255) NOT NULL,
                                   PRIMARY KEY (name))""";

    /** Other lock names, their locks long expired: what other jobs leave behind. */
    private static final String HISTORY_POSTGRES = """
            INSERT INTO shedlock (name, lock_until, locked_at, locked_by)
            SELECT 'history-' || g, TIMESTAMP '2020-01-01 00:01:00', TIMESTAMP '2020-01-01 00:00:00', 'history'
              FROM generate_series(?::bigint, ?::bigint) g""";

    private static final String HISTORY_H2 = """
            INSERT INTO shedlock (name, lock_until, locked_at, locked_by)
            SELECT 'history-' || CAST(X AS VARCHAR), TIMESTAMP '2020-01-01 00:01:00', TIMESTAMP '2020-01-01 00:00:00',
                   'history'
              FROM SYSTEM_RANGE(?, ?)""";

    private final BenchDatabase database;
    private final DataSource pool;

    ShedLockContender(BenchDatabase database) throws SQLException {
        this.database = database;
        this.pool = database.pool("shedlock");
        database.execute(TABLE);
    }

    @Override
    public String name() {
        return "ShedLock";
    }

    @Override
    public String table() {
        return "shedlock";
    }

    @Override
    public LockClient client(int instance) {
        JdbcLockProvider provider = new JdbcLockProvider(pool, "shedlock");
        return (type, inLock) -> {
            Optional<SimpleLock> lock = provider.lock(
                    new LockConfiguration(ClockProvider.now(), type, LOCK_AT_MOST_FOR, Duration.ZERO));
            if (lock.isEmpty()) {
                return false;
            }
            try {
                inLock.run();
            } finally {
                lock.get().unlock();
            }
            return true;
        };
    }

    @Override
    public void loadHistory(Connection connection, long from, long to, String type, boolean sameType)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                database.isPostgres() ? HISTORY_POSTGRES : HISTORY_H2)) {
            statement.setLong(1, from);
            statement.setLong(2, to);
            statement.executeUpdate();
        }
    }

    @Override
    public void clearHistory(Connection connection) throws SQLException {
        // Only the bulk rows: each provider remembers the rows it created and would never
        // insert them again.
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM shedlock WHERE locked_by = 'history'");
        }
    }

    @Override
    public void close() {
        // the pool closes with the database
    }
}

package dev.apilock.bench;

import java.sql.Connection;
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

    /** ShedLock's documented MySQL/MariaDB table: millisecond timestamps. */
    private static final String TABLE_MARIADB = """
            CREATE TABLE shedlock (name VARCHAR(64) NOT NULL, lock_until TIMESTAMP(3) NOT NULL,
                                   locked_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
                                   locked_by VARCHAR(255) NOT NULL, PRIMARY KEY (name))""";

    /** Other lock names, their locks long expired: what other jobs leave behind. From {@code g} numbers. */
    private static final String HISTORY = """
            INSERT INTO shedlock (name, lock_until, locked_at, locked_by)
            SELECT CONCAT('history-', g), TIMESTAMP '2020-01-01 00:01:00', TIMESTAMP '2020-01-01 00:00:00', 'history'
              FROM %s""";

    private final BenchDatabase database;
    private final DataSource pool;

    ShedLockContender(BenchDatabase database) throws SQLException {
        this.database = database;
        this.pool = database.pool("shedlock");
        database.execute(database.isMariaDb() ? TABLE_MARIADB : TABLE);
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
    public DataSource pool() {
        return pool;
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
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(HISTORY.formatted(database.numbers(from, to)));
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

package dev.apilock.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * MariaDB (InnoDB). No partial indexes and no timestamp with time zone: {@code active_type}
 * under a unique constraint as on H2, and UTC in {@code DATETIME(6)} columns written with
 * {@code UTC_TIMESTAMP(6)}, never the session's time zone.
 *
 * <p>The acquisition runs under READ COMMITTED, set for that one transaction: under InnoDB's
 * default REPEATABLE READ the insert's duplicate check takes gap locks. It first reads the
 * type's unreleased row without locking: while that row is live the caller is refused at once,
 * having locked and written nothing, so contenders never queue on the holder's index entry (which
 * made releases deadlock). A lost race is a quiet zero-row {@code INSERT IGNORE}; racing inserts
 * of one key can still deadlock once a winner rolls back (each waiter holds a shared lock and
 * wants an exclusive one), and InnoDB then picks a victim: that attempt is answered "not
 * acquired", never an error.
 */
final class MariaDbLockSql extends LockSql {

    private static final String READ_COMMITTED = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED";

    /** A plain consistent read: a blocked caller takes no row locks and writes nothing. */
    private static final String ACTIVE = """
            SELECT %s, UTC_TIMESTAMP(6) FROM api_locks WHERE active_type = ?""".formatted(ROW_COLUMNS);

    /**
     * By primary key, like a release, so both lock the clustered row before the secondary index
     * entry: reclaiming through {@code active_type} locks them the other way round and deadlocks
     * against a release.
     */
    private static final String RECLAIM = """
            UPDATE api_locks SET released = TRUE, released_at = UTC_TIMESTAMP(6), release_reason = 'EXPIRED',
                   active_type = NULL
             WHERE id = ? AND active_type IS NOT NULL AND expires_at <= UTC_TIMESTAMP(6)""";

    private static final String INSERT = """
            INSERT IGNORE INTO api_locks
                   (id, lock_type, active_type, acquired_at, expires, expires_at, locked_by, reference_id)
            SELECT ?, ?, ?, UTC_TIMESTAMP(6), ?, UTC_TIMESTAMP(6) + INTERVAL ? SECOND, ?, ? FROM DUAL
             WHERE NOT EXISTS (SELECT 1 FROM api_locks WHERE active_type = ?)""";

    private static final String DRAW_TOKEN = """
            UPDATE api_locks SET fencing_token = NEXT VALUE FOR api_locks_fencing_seq WHERE id = ?""";

    private static final String LATEST = """
            SELECT %s, UTC_TIMESTAMP(6) FROM api_locks
             WHERE lock_type = ? AND NOT released AND expires_at > UTC_TIMESTAMP(6)
             ORDER BY acquired_at DESC, id DESC LIMIT 1""".formatted(ROW_COLUMNS);

    private static final String RELEASE = """
            UPDATE api_locks SET released = TRUE, released_at = UTC_TIMESTAMP(6), release_reason = 'RELEASED',
                   active_type = NULL
             WHERE id = ? AND NOT released""";

    /** ER_LOCK_DEADLOCK and ER_LOCK_WAIT_TIMEOUT: InnoDB gave up on this attempt, not the database. */
    private static final int DEADLOCK = 1213;
    private static final int LOCK_WAIT_TIMEOUT = 1205;

    @Override
    String name() {
        return "MariaDB";
    }

    @Override
    AcquireAttempt acquire(Connection connection, NewLock lock) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        if (!autoCommit) {
            connection.commit(); // SET TRANSACTION applies only between transactions
        }
        connection.setAutoCommit(false);
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute(READ_COMMITTED);
            }
            AcquireAttempt active = active(connection, lock);
            if (active.holder() != null) {
                if (active.holder().expiresAt().isAfter(active.databaseNow())) {
                    connection.commit();
                    return active;
                }
                update(connection, RECLAIM, active.holder().lockId());
            }
            int expires = Math.toIntExact(lock.expiresSeconds());
            int inserted = update(connection, INSERT, lock.lockId(), lock.lockType(), lock.lockType(),
                    expires, expires, lock.user(), lock.referenceId(), lock.lockType());
            if (inserted == 1) {
                update(connection, DRAW_TOKEN, lock.lockId());
            }
            AcquireAttempt attempt = latest(connection, lock, inserted == 1);
            connection.commit();
            return attempt;
        } catch (SQLException e) {
            connection.rollback();
            if (!isTransient(e)) {
                throw e;
            }
            AcquireAttempt attempt = latest(connection, lock, false);
            connection.commit();
            return attempt;
        } catch (RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The unreleased row of the type, expired or not, as a refusal naming it; or no holder. */
    private AcquireAttempt active(Connection connection, NewLock lock) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ACTIVE)) {
            bind(statement, lock.lockType());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next()
                        ? new AcquireAttempt(false, readRow(rs), timestamp(rs, 11))
                        : new AcquireAttempt(false, null, null);
            }
        }
    }

    private AcquireAttempt latest(Connection connection, NewLock lock, boolean inserted) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LATEST)) {
            bind(statement, lock.lockType());
            try (ResultSet rs = statement.executeQuery()) {
                return readLatest(rs, lock, inserted);
            }
        }
    }

    /** Hibernate's current_timestamp is the session's local time here; the columns hold UTC. */
    @Override
    String jpqlNow() {
        return "cast(sql('UTC_TIMESTAMP(6)') as Instant)";
    }

    @Override
    boolean isTransient(SQLException e) {
        return e.getErrorCode() == DEADLOCK || e.getErrorCode() == LOCK_WAIT_TIMEOUT || super.isTransient(e);
    }

    @Override
    String releaseSql() {
        return RELEASE;
    }

    /** DATETIME(6) holds UTC; read it as such whatever the JVM's or the session's time zone. */
    @Override
    Instant timestamp(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}

package dev.apilock.store;

import dev.apilock.LockInfo;
import dev.apilock.LockInfo.ReleaseReason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

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

    private static final String FORCE_RELEASE = """
            UPDATE api_locks SET released = TRUE, released_at = UTC_TIMESTAMP(6), release_reason = 'FORCED',
                   active_type = NULL
             WHERE id = ? AND NOT released""";

    private static final String PURGE = """
            DELETE FROM api_locks
             WHERE acquired_at < UTC_TIMESTAMP(6) - INTERVAL ? SECOND
               AND (released OR expires_at <= UTC_TIMESTAMP(6))""";

    /** No UPDATE ... RETURNING here: the new expiry is read back by id right after. */
    private static final String EXTEND = """
            UPDATE api_locks SET expires_at = GREATEST(expires_at, UTC_TIMESTAMP(6) + INTERVAL ? SECOND)
             WHERE id = ? AND active_type IS NOT NULL AND expires_at > UTC_TIMESTAMP(6)""";

    private static final String LEASE = """
            SELECT expires_at, UTC_TIMESTAMP(6) FROM api_locks WHERE id = ?""";

    /** ER_LOCK_DEADLOCK and ER_LOCK_WAIT_TIMEOUT: InnoDB gave up on this attempt, not the database. */
    private static final int DEADLOCK = 1213;
    private static final int LOCK_WAIT_TIMEOUT = 1205;

    MariaDbLockSql() {
        super(RELEASE, FORCE_RELEASE, PURGE, EXTEND);
    }

    @Override
    String name() {
        return "MariaDB";
    }

    /** Hibernate's current_timestamp is the session's local time here; the columns hold UTC. */
    @Override
    String jpqlNow() {
        return "cast(sql('UTC_TIMESTAMP(6)') as Instant)";
    }

    @Override
    AcquireAttempt acquire(Connection connection, NewLock lock) throws SQLException {
        return inTransaction(connection, lock, LATEST, () -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(READ_COMMITTED);
            }
            AcquireAttempt active = active(connection, lock);
            LockInfo reclaimed = null;
            if (active.holder() != null) {
                if (active.holder().expiresAt().isAfter(active.databaseNow())) {
                    return active;
                }
                if (update(connection, RECLAIM, active.holder().lockId()) == 1) {
                    reclaimed = asReclaimed(active.holder(), active.databaseNow());
                }
            }
            int expires = Math.toIntExact(lock.expiresSeconds());
            int inserted = update(connection, INSERT, lock.lockId(), lock.lockType(), lock.lockType(),
                    expires, expires, lock.user(), lock.referenceId(), lock.lockType());
            if (inserted == 1) {
                update(connection, DRAW_TOKEN, lock.lockId());
            }
            return queryLatest(connection, LATEST, lock, inserted == 1).withReclaimed(reclaimed);
        }, this::isTransient);
    }

    /** The unreleased row of the type, expired or not, as a refusal naming it; or no holder. */
    private AcquireAttempt active(Connection connection, NewLock lock) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ACTIVE)) {
            bind(statement, lock.lockType());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next()
                        ? new AcquireAttempt(false, readRow(rs), timestamp(rs, CLOCK_COLUMN), null)
                        : new AcquireAttempt(false, null, null, null);
            }
        }
    }

    private static LockInfo asReclaimed(LockInfo row, Instant at) {
        return new LockInfo(row.lockId(), row.lockType(), row.user(), row.referenceId(), row.acquiredAt(),
                row.expiresAt(), row.fencingToken(), true, at, ReleaseReason.EXPIRED);
    }

    @Override
    String databaseNowSql() {
        return "SELECT UTC_TIMESTAMP(6)";
    }

    @Override
    Optional<Lease> extend(Connection connection, String lockId, long seconds) throws SQLException {
        if (update(connection, EXTEND, Math.toIntExact(seconds), lockId) == 0) {
            return Optional.empty();
        }
        try (PreparedStatement statement = connection.prepareStatement(LEASE)) {
            bind(statement, lockId);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return Optional.of(new Lease(timestamp(rs, 1), timestamp(rs, 2)));
            }
        }
    }

    @Override
    boolean isTransient(SQLException e) {
        return e.getErrorCode() == DEADLOCK || e.getErrorCode() == LOCK_WAIT_TIMEOUT || super.isTransient(e);
    }

    /** DATETIME(6) holds UTC; read it as such whatever the JVM's or the session's time zone. */
    @Override
    Instant timestamp(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}

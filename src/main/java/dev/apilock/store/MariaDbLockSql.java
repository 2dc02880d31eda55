package dev.apilock.store;

import dev.apilock.LockInfo;
import dev.apilock.LockInfo.ReleaseReason;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * MariaDB (InnoDB, 10.5 or later for {@code INSERT ... RETURNING}). No timestamp with time zone:
 * UTC in {@code DATETIME(6)} columns, always written with {@code UTC_TIMESTAMP(6)}, never the
 * session's time zone.
 *
 * <p>An acquisition first reads the holder row with a plain consistent read: while it is held the
 * caller is refused at once, having locked and written nothing. Otherwise one transaction under
 * READ COMMITTED (set for that transaction only) takes the row with a conditional
 * {@code INSERT ... ON DUPLICATE KEY UPDATE}, which decides under the row's lock, and inserts the
 * history row from it, returning it. A contender that read the type free a moment before another
 * took it finds the row held under the lock and changes nothing. InnoDB may pick an attempt as a
 * deadlock victim (two first acquisitions of one type); that attempt is answered "not acquired".
 */
final class MariaDbLockSql extends LockSql {

    private static final String HOLDER = """
            SELECT %s, UTC_TIMESTAMP(6) FROM api_lock_holders WHERE lock_type = ?""".formatted(HOLDER_COLUMNS);

    /** Sent together, pipelined, before the take: a READ COMMITTED transaction, this one only. */
    private static final String[] BEGIN = {"SET TRANSACTION ISOLATION LEVEL READ COMMITTED", "START TRANSACTION"};

    /**
     * Every assignment is conditional on the row being free, judged on its old values: MariaDB
     * applies the assignments left to right, each seeing those before it, so the ones the condition
     * reads ({@code expires_at}, {@code released}) come last, and {@code released} is judged after
     * {@code expires_at} has moved only where the row was taken.
     */
    private static final String TAKE = """
            INSERT INTO api_lock_holders (lock_type, lock_id, fencing_token, acquired_at, expires_at, released,
                                          locked_by, reference_id)
            VALUES (?, ?, 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL ? SECOND, FALSE, ?, ?)
            ON DUPLICATE KEY UPDATE
              reclaimed_lock_id = IF(released OR expires_at <= UTC_TIMESTAMP(6), IF(released, NULL, lock_id),
                                     reclaimed_lock_id),
              fencing_token = IF(released OR expires_at <= UTC_TIMESTAMP(6), fencing_token + 1, fencing_token),
              acquired_at = IF(released OR expires_at <= UTC_TIMESTAMP(6), VALUES(acquired_at), acquired_at),
              locked_by = IF(released OR expires_at <= UTC_TIMESTAMP(6), VALUES(locked_by), locked_by),
              reference_id = IF(released OR expires_at <= UTC_TIMESTAMP(6), VALUES(reference_id), reference_id),
              lock_id = IF(released OR expires_at <= UTC_TIMESTAMP(6), VALUES(lock_id), lock_id),
              expires_at = IF(released OR expires_at <= UTC_TIMESTAMP(6), VALUES(expires_at), expires_at),
              released = IF(released OR expires_at <= UTC_TIMESTAMP(6), FALSE, released)""";

    private static final String HISTORY = """
            INSERT INTO api_locks (id, lock_type, acquired_at, expires, expires_at, locked_by, reference_id,
                                   fencing_token)
            SELECT lock_id, lock_type, acquired_at, ?, expires_at, locked_by, reference_id, fencing_token
              FROM api_lock_holders WHERE lock_type = ? AND lock_id = ?
            RETURNING id, lock_type, locked_by, reference_id, acquired_at, expires_at, fencing_token, released,
                      released_at, release_reason, UTC_TIMESTAMP(6)""";

    private static final String MARK_RECLAIMED = """
            UPDATE api_locks SET released = TRUE, released_at = UTC_TIMESTAMP(6), release_reason = 'EXPIRED'
             WHERE id = ? AND NOT released""";

    /** Holder row first, then its history row ({@code STRAIGHT_JOIN}), in the order an acquisition locks them. */
    private static final String RELEASE = """
            UPDATE api_lock_holders h STRAIGHT_JOIN api_locks l ON l.id = h.lock_id
               SET h.released = TRUE, l.released = TRUE, l.released_at = UTC_TIMESTAMP(6), l.release_reason = ?
             WHERE h.lock_type = ? AND h.lock_id = ? AND NOT h.released""";

    /** Both rows get the same expiry: GREATEST of the old one and the new. */
    private static final String EXTEND = """
            UPDATE api_lock_holders h STRAIGHT_JOIN api_locks l ON l.id = h.lock_id
               SET h.expires_at = GREATEST(h.expires_at, UTC_TIMESTAMP(6) + INTERVAL ? SECOND),
                   l.expires_at = GREATEST(l.expires_at, UTC_TIMESTAMP(6) + INTERVAL ? SECOND)
             WHERE h.lock_type = ? AND h.lock_id = ? AND NOT h.released AND h.expires_at > UTC_TIMESTAMP(6)""";

    private static final String LEASE = """
            SELECT expires_at, UTC_TIMESTAMP(6) FROM api_lock_holders WHERE lock_type = ? AND lock_id = ?""";

    private static final String PURGE = """
            DELETE FROM api_locks
             WHERE acquired_at < UTC_TIMESTAMP(6) - INTERVAL ? SECOND
               AND (released OR expires_at <= UTC_TIMESTAMP(6))""";

    private static final String ACTIVE = """
            SELECT %s, UTC_TIMESTAMP(6) FROM api_locks
             WHERE id IN (SELECT lock_id FROM api_lock_holders WHERE NOT released AND expires_at > UTC_TIMESTAMP(6))
             ORDER BY acquired_at DESC, id DESC""".formatted(ROW_COLUMNS);

    /** ER_LOCK_DEADLOCK and ER_LOCK_WAIT_TIMEOUT: InnoDB gave up on this attempt, not the database. */
    private static final int DEADLOCK = 1213;
    private static final int LOCK_WAIT_TIMEOUT = 1205;

    MariaDbLockSql() {
        super(PURGE, ACTIVE);
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
        Holder before = holder(connection, lock.lockType());
        if (held(before)) {
            return refusal(before);
        }
        boolean reclaiming = before.row() != null && !before.row().released();
        Holder after;
        LockInfo reclaimed = null;
        boolean taken;
        begin(connection);
        try {
            update(connection, TAKE, lock.lockType(), lock.lockId(), Math.toIntExact(lock.expiresSeconds()),
                    lock.user(), lock.referenceId());
            after = inserted(connection, lock);
            taken = after.row() != null;
            if (taken && reclaiming && update(connection, MARK_RECLAIMED, before.row().lockId()) == 1) {
                reclaimed = asReclaimed(before.row(), after.databaseNow());
            }
            execute(connection, "COMMIT");
        } catch (SQLException e) {
            rollback(connection, e);
            if (!isTransient(e)) {
                throw e;
            }
            return refusal(holder(connection, lock.lockType()));
        } catch (RuntimeException e) {
            rollback(connection, e);
            throw e;
        }
        if (!taken) {
            return refusal(holder(connection, lock.lockType()));
        }
        return outcome(lock, true, true, after, reclaimed);
    }

    /** The history row just inserted from the holder row this attempt took, or none. */
    private Holder inserted(Connection connection, NewLock lock) throws SQLException {
        return queryHolder(connection, HISTORY, Math.toIntExact(lock.expiresSeconds()), lock.lockType(), lock.lockId());
    }

    private Holder holder(Connection connection, String lockType) throws SQLException {
        return queryHolder(connection, HOLDER, lockType);
    }

    /** Ends the transaction {@link #begin} started; a failure to do so goes with the first one. */
    private static void rollback(Connection connection, Exception failure) {
        try {
            execute(connection, "ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void begin(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : BEGIN) {
                statement.addBatch(sql);
            }
            statement.executeBatch();
        }
    }

    @Override
    boolean release(Connection connection, String lockType, String lockId, ReleaseReason reason) throws SQLException {
        return update(connection, RELEASE, reason.name(), lockType, lockId) > 0;
    }

    @Override
    Optional<Lease> extend(Connection connection, String lockType, String lockId, long seconds) throws SQLException {
        int s = Math.toIntExact(seconds);
        if (update(connection, EXTEND, s, s, lockType, lockId) == 0) {
            return Optional.empty();
        }
        return queryLease(connection, LEASE, lockType, lockId);
    }

    @Override
    String databaseNowSql() {
        return "SELECT UTC_TIMESTAMP(6)";
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

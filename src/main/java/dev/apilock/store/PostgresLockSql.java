package dev.apilock.store;

import dev.apilock.LockInfo;
import dev.apilock.LockInfo.ReleaseReason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * PostgreSQL. An acquisition is one round trip: the four statements below go out as one pipeline
 * with a single Sync, which PostgreSQL runs as one implicit transaction committed at the Sync
 * (apilock's connections are in auto-commit mode, see {@link OwnTransactions}). Under READ
 * COMMITTED each statement takes a fresh snapshot and sees the ones before it. {@code now()} is
 * the transaction's start for all four; expiry is judged against it, which errs towards judging a
 * lock live a moment longer.
 *
 * <p>A refused attempt writes nothing: while the holder row is held the take inserts no row, so it
 * neither conflicts nor locks, the other statements match nothing, and the transaction commits as
 * read-only, without a flush. Only a contender that saw the type free a moment before it was taken
 * waits on the row's lock, and then finds it held.
 *
 * <p>A holder's own release commits asynchronously ({@code synchronous_commit} off for that one
 * transaction, never for the session): lost in a database crash, it leaves the lock to expire, as a
 * crashed holder does, and never admits two holders. A later acquisition's durable commit flushes
 * it anyway. Acquisitions and extensions stay durable: a lost one would let a second holder in.
 */
final class PostgresLockSql extends LockSql {

    /**
     * Takes the holder row while it is free, counting the type's token up under its lock. The
     * guard keeps a held row from being touched at all; {@code ON CONFLICT ... WHERE} decides under
     * the row's lock, against its latest version. Stamped with {@code clock_timestamp()}, the moment
     * of the write: an attempt that waited for the row's lock must not date its lock before it had it.
     */
    static final String TAKE = """
            INSERT INTO api_lock_holders AS h (lock_type, lock_id, fencing_token, acquired_at, expires_at, released,
                                               locked_by, reference_id)
            SELECT ?, ?, 1, clock.at, clock.at + ? * INTERVAL '1 second', FALSE, ?, ?
              FROM (SELECT clock_timestamp() AS at) clock
             WHERE NOT EXISTS (SELECT 1 FROM api_lock_holders
                                WHERE lock_type = ? AND NOT released AND expires_at > now())
            ON CONFLICT (lock_type) DO UPDATE
               SET lock_id = EXCLUDED.lock_id,
                   fencing_token = h.fencing_token + 1,
                   acquired_at = clock_timestamp(),
                   expires_at = clock_timestamp() + (EXCLUDED.expires_at - EXCLUDED.acquired_at),
                   released = FALSE,
                   locked_by = EXCLUDED.locked_by,
                   reference_id = EXCLUDED.reference_id,
                   reclaimed_lock_id = CASE WHEN h.released THEN NULL ELSE h.lock_id END
             WHERE h.released OR h.expires_at <= now()""";

    /** The acquisition's history row, copied from the holder row it took; nothing if it took none. */
    static final String HISTORY = """
            INSERT INTO api_locks (id, lock_type, acquired_at, expires, expires_at, locked_by, reference_id,
                                   fencing_token)
            SELECT lock_id, lock_type, acquired_at, ?, expires_at, locked_by, reference_id, fencing_token
              FROM api_lock_holders WHERE lock_type = ? AND lock_id = ?""";

    /** The history row of the expired holder this acquisition took over, if any. */
    static final String MARK_RECLAIMED = """
            UPDATE api_locks SET released = TRUE, released_at = now(), release_reason = 'EXPIRED'
             WHERE id = (SELECT reclaimed_lock_id FROM api_lock_holders WHERE lock_type = ? AND lock_id = ?)
               AND NOT released
            RETURNING %s""".formatted(ROW_COLUMNS);

    static final String HOLDER = """
            SELECT %s, now() FROM api_lock_holders WHERE lock_type = ?""".formatted(HOLDER_COLUMNS);

    /** The four statements above as one pipeline: one round trip, one implicit transaction. */
    private static final String ACQUIRE = String.join(";\n", TAKE, HISTORY, MARK_RECLAIMED, HOLDER);

    /** Releases the holder row, then the history row it names, in one statement. Parameters: type, id. */
    private static final String RELEASE = """
            WITH holder AS (
              UPDATE api_lock_holders SET released = TRUE
               WHERE lock_type = ? AND lock_id = ? AND NOT released
              RETURNING lock_id)
            UPDATE api_locks SET released = TRUE, released_at = now(), release_reason = '%s'
              FROM holder WHERE api_locks.id = holder.lock_id""";

    private static final String RELEASED = RELEASE.formatted(ReleaseReason.RELEASED);

    /**
     * The holder's own release, committed asynchronously: one round trip, no flush. The setting is
     * the transaction's only ({@code is_local}); {@code SET LOCAL} would do nothing here, outside a
     * transaction block, but warn.
     */
    private static final String RELEASE_ASYNCHRONOUSLY = "SELECT set_config('synchronous_commit', 'off', true);\n"
            + RELEASED;

    private static final String FORCE_RELEASE = RELEASE.formatted(ReleaseReason.FORCED);

    private static final String EXTEND = """
            WITH holder AS (
              UPDATE api_lock_holders SET expires_at = GREATEST(expires_at, now() + ? * INTERVAL '1 second')
               WHERE lock_type = ? AND lock_id = ? AND NOT released AND expires_at > now()
              RETURNING lock_id, expires_at)
            UPDATE api_locks SET expires_at = holder.expires_at
              FROM holder WHERE api_locks.id = holder.lock_id
            RETURNING api_locks.expires_at, now()""";

    private static final String PURGE = """
            DELETE FROM api_locks
             WHERE acquired_at < now() - ? * INTERVAL '1 second'
               AND (released OR expires_at <= now())""";

    private static final String ACTIVE = """
            SELECT %s, now() FROM api_locks
             WHERE id IN (SELECT lock_id FROM api_lock_holders WHERE NOT released AND expires_at > now())
             ORDER BY acquired_at DESC, id DESC""".formatted(ROW_COLUMNS);

    PostgresLockSql() {
        super(PURGE, ACTIVE);
    }

    @Override
    String name() {
        return "PostgreSQL";
    }

    @Override
    AcquireAttempt acquire(Connection connection, NewLock lock) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ACQUIRE)) {
            int expires = Math.toIntExact(lock.expiresSeconds());
            bind(statement,
                    lock.lockType(), lock.lockId(), expires, lock.user(), lock.referenceId(), lock.lockType(),
                    expires, lock.lockType(), lock.lockId(),
                    lock.lockType(), lock.lockId(),
                    lock.lockType());
            statement.execute();                           // take
            boolean taken = statement.getUpdateCount() == 1;
            statement.getMoreResults();                    // history
            boolean inserted = statement.getUpdateCount() == 1;
            statement.getMoreResults();                    // reclaimed
            LockInfo reclaimed;
            try (ResultSet rs = statement.getResultSet()) {
                reclaimed = rs.next() ? readRow(rs) : null;
            }
            statement.getMoreResults();                    // holder
            try (ResultSet rs = statement.getResultSet()) {
                return outcome(lock, taken, inserted, readHolder(rs), reclaimed);
            }
        }
    }

    @Override
    boolean release(Connection connection, String lockType, String lockId, ReleaseReason reason) throws SQLException {
        if (reason == ReleaseReason.RELEASED) {
            try (PreparedStatement statement = connection.prepareStatement(RELEASE_ASYNCHRONOUSLY)) {
                bind(statement, lockType, lockId);
                statement.execute();                       // set_config
                statement.getMoreResults();                // closes its result
                return statement.getUpdateCount() == 1;
            }
        }
        return update(connection, FORCE_RELEASE, lockType, lockId) == 1;
    }

    @Override
    Optional<Lease> extend(Connection connection, String lockType, String lockId, long seconds) throws SQLException {
        return queryLease(connection, EXTEND, Math.toIntExact(seconds), lockType, lockId);
    }
}

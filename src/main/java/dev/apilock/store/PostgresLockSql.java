package dev.apilock.store;

import dev.apilock.LockInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * PostgreSQL. The partial unique index {@code ux_api_locks_one_active (lock_type) WHERE NOT
 * released} admits one unreleased row per type; {@code ON CONFLICT DO NOTHING} turns a lost race
 * into a quiet zero-row insert instead of a unique-violation error in the server log.
 *
 * <p>An acquisition is one round trip: the four statements below go out as one pipeline with a
 * single Sync, which PostgreSQL runs as one implicit transaction committed at the Sync (apilock's
 * connections are in auto-commit mode, see {@link OwnTransactions}). Under READ COMMITTED each statement takes a fresh snapshot, so the
 * insert sees the reclaim, and the token draw and the final check see the insert. {@code now()}
 * is the transaction's start for all four; expiry is judged against it, which errs towards
 * judging a lock live a moment longer.
 */
final class PostgresLockSql extends LockSql {

    static final String RECLAIM = """
            UPDATE api_locks SET released = TRUE, released_at = now(), release_reason = 'EXPIRED'
             WHERE lock_type = ? AND NOT released AND expires_at <= now()
            RETURNING %s""".formatted(ROW_COLUMNS);

    /**
     * Stamped with {@code clock_timestamp()}, the moment of the insert, not {@code now()}, the
     * transaction's start: an attempt that stalled before its insert (waiting on the reclaim's
     * row lock, or a starved backend) would otherwise date its row before the previous holder's
     * and hold for its expiry minus the stall.
     */
    static final String INSERT = """
            INSERT INTO api_locks (id, lock_type, acquired_at, expires, expires_at, locked_by, reference_id)
            SELECT ?, ?, clock.at, ?, clock.at + ? * INTERVAL '1 second', ?, ?
              FROM (SELECT clock_timestamp() AS at) clock
             WHERE NOT EXISTS (SELECT 1 FROM api_locks WHERE lock_type = ? AND NOT released)
            ON CONFLICT (lock_type) WHERE NOT released DO NOTHING""";

    /** After the insert, so that a token is only drawn by a winner (see the schema's comment). */
    static final String DRAW_TOKEN = """
            UPDATE api_locks SET fencing_token = nextval('api_locks_fencing_seq') WHERE id = ?""";

    static final String LATEST = """
            SELECT %s, now() FROM api_locks
             WHERE lock_type = ? AND NOT released AND expires_at > now()
             ORDER BY acquired_at DESC, id DESC LIMIT 1""".formatted(ROW_COLUMNS);

    /** The four statements above as one pipeline: one round trip, one implicit transaction. */
    private static final String ACQUIRE = String.join(";\n", RECLAIM, INSERT, DRAW_TOKEN, LATEST);

    private static final String RELEASE = """
            UPDATE api_locks SET released = TRUE, released_at = now(), release_reason = 'RELEASED'
             WHERE id = ? AND NOT released""";

    private static final String FORCE_RELEASE = """
            UPDATE api_locks SET released = TRUE, released_at = now(), release_reason = 'FORCED'
             WHERE id = ? AND NOT released""";

    private static final String PURGE = """
            DELETE FROM api_locks
             WHERE acquired_at < now() - ? * INTERVAL '1 second'
               AND (released OR expires_at <= now())""";

    private static final String EXTEND = """
            UPDATE api_locks SET expires_at = GREATEST(expires_at, now() + ? * INTERVAL '1 second')
             WHERE id = ? AND NOT released AND expires_at > now()
            RETURNING expires_at, now()""";

    PostgresLockSql() {
        super(RELEASE, FORCE_RELEASE, PURGE, EXTEND);
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
                    lock.lockType(),
                    lock.lockId(), lock.lockType(), expires, expires, lock.user(), lock.referenceId(),
                    lock.lockType(),
                    lock.lockId(),
                    lock.lockType());
            statement.execute();                // reclaim
            LockInfo reclaimed;
            try (ResultSet rs = statement.getResultSet()) {
                reclaimed = readFirstRow(rs);
            }
            statement.getMoreResults();         // insert
            boolean inserted = statement.getUpdateCount() == 1;
            statement.getMoreResults();         // token
            statement.getMoreResults();         // latest active
            try (ResultSet latest = statement.getResultSet()) {
                return readLatest(latest, lock, inserted).withReclaimed(reclaimed);
            }
        }
    }

}

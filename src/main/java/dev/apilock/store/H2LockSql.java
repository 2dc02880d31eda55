package dev.apilock.store;

import dev.apilock.LockInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * H2. No partial indexes: {@code active_type} carries the type while a row is unreleased and is
 * NULL afterwards, under the unique constraint {@code ux_api_locks_one_active}; a check
 * constraint keeps it in step with {@code released}. H2 has no {@code ON CONFLICT} outside its
 * PostgreSQL mode, so a lost race surfaces as a duplicate-key error and is answered "not
 * acquired". {@code CURRENT_TIMESTAMP} is the transaction's start, like PostgreSQL's {@code now()}.
 */
final class H2LockSql extends LockSql {

    private static final String RECLAIM = """
            SELECT %s FROM FINAL TABLE (
              UPDATE api_locks SET released = TRUE, released_at = CURRENT_TIMESTAMP, release_reason = 'EXPIRED',
                     active_type = NULL
               WHERE active_type = ? AND expires_at <= CURRENT_TIMESTAMP)""".formatted(ROW_COLUMNS);

    private static final String INSERT = """
            INSERT INTO api_locks (id, lock_type, active_type, acquired_at, expires, expires_at, locked_by, reference_id)
            SELECT ?, ?, ?, CURRENT_TIMESTAMP, ?, DATEADD(SECOND, ?, CURRENT_TIMESTAMP), ?, ?
             WHERE NOT EXISTS (SELECT 1 FROM api_locks WHERE active_type = ?)""";

    private static final String DRAW_TOKEN = """
            UPDATE api_locks SET fencing_token = NEXT VALUE FOR api_locks_fencing_seq WHERE id = ?""";

    /**
     * The type's unreleased rows are exactly those whose active_type is the type (the check
     * constraint), found through its unique index. Asked as {@code lock_type = ? AND NOT released},
     * H2 walks the type's whole history: the cycle grew linearly with it.
     */
    static final String LATEST = """
            SELECT %s, CURRENT_TIMESTAMP FROM api_locks
             WHERE active_type = ? AND expires_at > CURRENT_TIMESTAMP
             ORDER BY acquired_at DESC, id DESC FETCH FIRST 1 ROW ONLY""".formatted(ROW_COLUMNS);

    private static final String RELEASE = """
            UPDATE api_locks SET released = TRUE, released_at = CURRENT_TIMESTAMP, release_reason = 'RELEASED',
                   active_type = NULL
             WHERE id = ? AND NOT released""";

    private static final String FORCE_RELEASE = """
            UPDATE api_locks SET released = TRUE, released_at = CURRENT_TIMESTAMP, release_reason = 'FORCED',
                   active_type = NULL
             WHERE id = ? AND NOT released""";

    private static final String PURGE = """
            DELETE FROM api_locks
             WHERE acquired_at < DATEADD(SECOND, -CAST(? AS BIGINT), CURRENT_TIMESTAMP)
               AND (released OR expires_at <= CURRENT_TIMESTAMP)""";

    private static final String EXTEND = """
            SELECT expires_at, CURRENT_TIMESTAMP FROM FINAL TABLE (
              UPDATE api_locks SET expires_at = GREATEST(expires_at, DATEADD(SECOND, ?, CURRENT_TIMESTAMP))
               WHERE id = ? AND NOT released AND expires_at > CURRENT_TIMESTAMP)""";

    /** SQLSTATE of a unique-constraint violation. */
    private static final String DUPLICATE_KEY = "23505";

    H2LockSql() {
        super(RELEASE, FORCE_RELEASE, PURGE, EXTEND);
    }

    @Override
    String name() {
        return "H2";
    }

    @Override
    AcquireAttempt acquire(Connection connection, NewLock lock) throws SQLException {
        // A lost race surfaces as a duplicate key: the winner's row is committed by then.
        return inTransaction(connection, lock, LATEST, () -> {
            LockInfo reclaimed;
            try (PreparedStatement statement = connection.prepareStatement(RECLAIM)) {
                bind(statement, lock.lockType());
                try (ResultSet rs = statement.executeQuery()) {
                    reclaimed = readFirstRow(rs);
                }
            }
            int expires = Math.toIntExact(lock.expiresSeconds());
            int inserted = update(connection, INSERT, lock.lockId(), lock.lockType(), lock.lockType(),
                    expires, expires, lock.user(), lock.referenceId(), lock.lockType());
            if (inserted == 1) {
                update(connection, DRAW_TOKEN, lock.lockId());
            }
            return queryLatest(connection, LATEST, lock, inserted == 1).withReclaimed(reclaimed);
        }, e -> DUPLICATE_KEY.equals(e.getSQLState()));
    }

}

package dev.apilock.store;

import dev.apilock.LockInfo;
import dev.apilock.LockInfo.ReleaseReason;
import java.net.Socket;
import java.net.SocketException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * H2. An acquisition first reads the holder row: while it is held the caller is refused at once,
 * having written nothing. Otherwise one transaction takes the row with a conditional {@code MERGE},
 * which H2 decides under the row's lock against its latest version, and inserts the history row from
 * it, reading it back through {@code FINAL TABLE}. Two first acquisitions of a type race on the
 * primary key: the loser's duplicate key is answered "not acquired". {@code CURRENT_TIMESTAMP} is
 * the transaction's start, like PostgreSQL's {@code now()}.
 */
final class H2LockSql extends LockSql {

    private static final String HOLDER = """
            SELECT %s, CURRENT_TIMESTAMP FROM api_lock_holders WHERE lock_type = ?""".formatted(HOLDER_COLUMNS);

    private static final String TAKE = """
            MERGE INTO api_lock_holders h
            USING (VALUES (CAST(? AS VARCHAR(128)), CAST(? AS CHAR(26)), CAST(? AS INT), CAST(? AS VARCHAR(255)),
                           CAST(? AS VARCHAR(255))))
                  AS n (lock_type, lock_id, expires, locked_by, reference_id)
               ON h.lock_type = n.lock_type
            WHEN MATCHED AND (h.released OR h.expires_at <= CURRENT_TIMESTAMP) THEN UPDATE
                 SET reclaimed_lock_id = CASE WHEN h.released THEN NULL ELSE h.lock_id END,
                     lock_id = n.lock_id, fencing_token = h.fencing_token + 1, acquired_at = CURRENT_TIMESTAMP,
                     expires_at = DATEADD(SECOND, n.expires, CURRENT_TIMESTAMP), released = FALSE,
                     locked_by = n.locked_by, reference_id = n.reference_id
            WHEN NOT MATCHED THEN INSERT (lock_type, lock_id, fencing_token, acquired_at, expires_at, released,
                                          locked_by, reference_id)
                 VALUES (n.lock_type, n.lock_id, 1, CURRENT_TIMESTAMP, DATEADD(SECOND, n.expires, CURRENT_TIMESTAMP),
                         FALSE, n.locked_by, n.reference_id)""";

    private static final String HISTORY = """
            SELECT %s, CURRENT_TIMESTAMP FROM FINAL TABLE (
              INSERT INTO api_locks (id, lock_type, acquired_at, expires, expires_at, locked_by, reference_id,
                                     fencing_token)
              SELECT lock_id, lock_type, acquired_at, ?, expires_at, locked_by, reference_id, fencing_token
                FROM api_lock_holders WHERE lock_type = ? AND lock_id = ?)""".formatted(ROW_COLUMNS);

    private static final String MARK_RECLAIMED = """
            UPDATE api_locks SET released = TRUE, released_at = CURRENT_TIMESTAMP, release_reason = 'EXPIRED'
             WHERE id = ? AND NOT released""";

    private static final String RELEASE_HOLDER = """
            UPDATE api_lock_holders SET released = TRUE WHERE lock_type = ? AND lock_id = ? AND NOT released""";

    private static final String RELEASE_HISTORY = """
            UPDATE api_locks SET released = TRUE, released_at = CURRENT_TIMESTAMP, release_reason = ?
             WHERE id = ? AND NOT released""";

    private static final String EXTEND_HOLDER = """
            SELECT expires_at, CURRENT_TIMESTAMP FROM FINAL TABLE (
              UPDATE api_lock_holders SET expires_at = GREATEST(expires_at, DATEADD(SECOND, ?, CURRENT_TIMESTAMP))
               WHERE lock_type = ? AND lock_id = ? AND NOT released AND expires_at > CURRENT_TIMESTAMP)""";

    private static final String EXTEND_HISTORY = """
            UPDATE api_locks SET expires_at = ? WHERE id = ?""";

    private static final String PURGE = """
            DELETE FROM api_locks
             WHERE acquired_at < CURRENT_TIMESTAMP - CAST(? AS BIGINT) * INTERVAL '1' SECOND
               AND (released OR expires_at <= CURRENT_TIMESTAMP)""";

    private static final String ACTIVE = """
            SELECT %s, CURRENT_TIMESTAMP FROM api_locks
             WHERE id IN (SELECT lock_id FROM api_lock_holders WHERE NOT released AND expires_at > CURRENT_TIMESTAMP)
             ORDER BY acquired_at DESC, id DESC""".formatted(ROW_COLUMNS);

    /**
     * H2's driver ignores {@code setNetworkTimeout}; for a remote session (an H2 server, or another
     * process's in auto-server mode) the read timeout is set on its sockets, found in the session.
     * An embedded session has no network to wait for.
     */
    @Override
    NetworkTimeout boundNetwork(Connection connection, long millis) throws SQLException {
        List<Socket> sockets = H2Sockets.of(connection);
        if (sockets.isEmpty()) {
            return NetworkTimeout.NONE;
        }
        int[] previous = new int[sockets.size()];
        try {
            for (int i = 0; i < sockets.size(); i++) {
                previous[i] = sockets.get(i).getSoTimeout();
                sockets.get(i).setSoTimeout((int) Math.min(millis, Integer.MAX_VALUE));
            }
        } catch (SocketException e) {
            throw new SQLException("Could not set the network timeout of an H2 connection: " + e.getMessage(), "08006", e);
        }
        return () -> {
            for (int i = 0; i < sockets.size(); i++) {
                try {
                    sockets.get(i).setSoTimeout(previous[i]);
                } catch (SocketException e) {
                    // closed meanwhile
                }
            }
        };
    }

    /**
     * H2 over the network cannot time out a read anywhere but in apilock's own statements: a pool's
     * check of an idle connection ({@code isValid}, a rollback) or a new connection's handshake would
     * block behind a silent network without bound. Embedded H2 has no network.
     */
    @Override
    boolean boundsItsOwnWaits(Connection connection) throws SQLException {
        String url = connection.getMetaData().getURL().toLowerCase(java.util.Locale.ROOT);
        return !(url.startsWith("jdbc:h2:tcp:") || url.startsWith("jdbc:h2:ssl:") || url.contains("auto_server=true"));
    }

    /** SQLSTATE of a unique-constraint violation: a concurrent first acquisition of the type won. */
    private static final String DUPLICATE_KEY = "23505";

    H2LockSql() {
        super(PURGE, ACTIVE);
    }

    @Override
    String name() {
        return "H2";
    }

    @Override
    AcquireAttempt acquire(Connection connection, NewLock lock) throws SQLException {
        Holder before = holder(connection, lock.lockType());
        if (held(before)) {
            return refusal(before);
        }
        boolean reclaiming = before.row() != null && !before.row().released();
        Taken taken;
        try {
            taken = inTransaction(connection, () -> {
                boolean took = update(connection, TAKE, lock.lockType(), lock.lockId(),
                        Math.toIntExact(lock.expiresSeconds()), lock.user(), lock.referenceId()) == 1;
                Holder inserted = inserted(connection, lock);
                LockInfo reclaimed = null;
                if (took && reclaiming && update(connection, MARK_RECLAIMED, before.row().lockId()) == 1) {
                    reclaimed = asReclaimed(before.row(), inserted.databaseNow());
                }
                return new Taken(took, inserted, reclaimed);
            });
        } catch (SQLException e) {
            if (!DUPLICATE_KEY.equals(e.getSQLState()) && !isTransient(e)) {
                throw e;
            }
            return refusal(holder(connection, lock.lockType()));
        }
        if (!taken.took() && taken.history().row() == null) {
            return refusal(holder(connection, lock.lockType()));
        }
        return outcome(lock, taken.took(), taken.history().row() != null, taken.history(), taken.reclaimed());
    }

    /** Whether the take changed the holder row, the history row it inserted, and the row it reclaimed. */
    private record Taken(boolean took, Holder history, LockInfo reclaimed) {
    }

    private Holder inserted(Connection connection, NewLock lock) throws SQLException {
        return queryHolder(connection, HISTORY, Math.toIntExact(lock.expiresSeconds()), lock.lockType(), lock.lockId());
    }

    private Holder holder(Connection connection, String lockType) throws SQLException {
        return queryHolder(connection, HOLDER, lockType);
    }

    @Override
    boolean release(Connection connection, String lockType, String lockId, ReleaseReason reason) throws SQLException {
        return inTransaction(connection, () -> update(connection, RELEASE_HOLDER, lockType, lockId) == 1
                && update(connection, RELEASE_HISTORY, reason.name(), lockId) == 1);
    }

    @Override
    Optional<Lease> extend(Connection connection, String lockType, String lockId, long seconds) throws SQLException {
        return inTransaction(connection, () -> {
            Optional<Lease> lease = queryLease(connection, EXTEND_HOLDER, Math.toIntExact(seconds), lockType, lockId);
            if (lease.isPresent()) {
                try (PreparedStatement statement = connection.prepareStatement(EXTEND_HISTORY)) {
                    statement.setObject(1, java.time.OffsetDateTime.ofInstant(lease.get().expiresAt(),
                            java.time.ZoneOffset.UTC));
                    statement.setString(2, lockId);
                    statement.executeUpdate();
                }
            }
            return lease;
        });
    }
}

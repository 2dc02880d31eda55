package dev.apilock.store;

import dev.apilock.ApiLockSetupException;
import dev.apilock.LockInfo;
import dev.apilock.LockInfo.ReleaseReason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The native SQL of one database, and how each lock operation runs on it. Each subclass keeps all
 * its statements together, readable as SQL; they differ only where the databases do.
 *
 * <p>Two tables. {@code api_lock_holders} has one row per lock type, the current (or last)
 * holder, updated in place: its primary key admits one holder per type, and an acquisition takes
 * the row only while it is released or expired, under the row's lock, counting the type's fencing
 * token up in the same statement. {@code api_locks} has one row per acquisition, the history,
 * written in the same transactions: inserted by the acquisition, marked by the release, the
 * extension or the next acquirer's reclaim. The two agree: a type's unreleased history row is its
 * holder row's lock.
 *
 * <p>A refused attempt reads the holder row, without locking or writing anything, and names the
 * holder. The connection is apilock's own, in auto-commit mode ({@link OwnTransactions}); an
 * operation that needs a transaction begins and ends it, and leaves auto-commit on.
 */
abstract class LockSql {

    /** Columns of a history row, in the order {@link #readRow} expects; queries add the clock after them. */
    static final String ROW_COLUMNS = "id, lock_type, locked_by, reference_id, acquired_at, expires_at,"
            + " fencing_token, released, released_at, release_reason";

    /** A holder row in the shape of {@link #ROW_COLUMNS}: it has no release time or reason. */
    static final String HOLDER_COLUMNS = "lock_id, lock_type, locked_by, reference_id, acquired_at, expires_at,"
            + " fencing_token, released, NULL, NULL";

    /** Position of the database clock selected after {@link #ROW_COLUMNS}. */
    static final int CLOCK_COLUMN = 11;

    /** The dialect for the database behind {@code connection}, read from its metadata. */
    static LockSql forConnection(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        String name = product.toLowerCase(Locale.ROOT);
        if (name.contains("postgresql")) {
            return new PostgresLockSql();
        }
        if (name.equals("h2")) {
            return new H2LockSql();
        }
        if (name.contains("mariadb")) {
            return new MariaDbLockSql();
        }
        throw new ApiLockSetupException("apilock does not support the database '" + product
                + "'; supported are PostgreSQL, MariaDB and H2");
    }

    /** A short name for logs and messages. */
    abstract String name();

    /** The database clock in JPQL, comparable with the stored timestamps. */
    String jpqlNow() {
        return "current_timestamp";
    }

    /**
     * Takes the type's holder row if it is free (never taken, released, or expired), with the next
     * fencing token of the type, inserts the acquisition's history row, marks a reclaimed expired
     * holder's history row {@code EXPIRED}, and reads the holder: all in one transaction. Refused,
     * it only reads.
     */
    abstract AcquireAttempt acquire(Connection connection, NewLock lock) throws SQLException;

    /**
     * Releases the lock {@code lockId} of {@code lockType} if it still holds the type: its holder row
     * and its history row, with {@code reason}. False if it no longer held it (reclaimed after its
     * expiry, or released by an operator).
     */
    abstract boolean release(Connection connection, String lockType, String lockId, ReleaseReason reason)
            throws SQLException;

    /**
     * Pushes a held lock's expiry to {@code seconds} from now by the database clock (never earlier
     * than it was), in its holder row and its history row, only while it is unreleased and
     * unexpired. Empty if the lock is no longer held: an expired lock is never revived. Durable, as
     * an acquisition is.
     */
    abstract Optional<Lease> extend(Connection connection, String lockType, String lockId, long seconds)
            throws SQLException;

    private final String purgeSql;
    private final String activeSql;

    /**
     * @param purgeSql  deletes history: rows acquired more than the given number of seconds ago by
     *                  the database clock that are released or expired, never a held lock's; the
     *                  holder rows stay, keeping each type's fencing token. Parameter: seconds.
     * @param activeSql every lock held now, through the holder rows: their history rows, newest
     *                  first, with the database clock. No parameters.
     */
    LockSql(String purgeSql, String activeSql) {
        this.purgeSql = purgeSql;
        this.activeSql = activeSql;
    }

    final String purgeSql() {
        return purgeSql;
    }

    /**
     * Bounds every wait for the database's answer on {@code connection} to {@code millis}, through
     * the driver's network timeout (a socket read timeout), until the returned timeout is restored.
     * A read that times out breaks the connection, which the pool then discards.
     */
    NetworkTimeout boundNetwork(Connection connection, long millis) throws SQLException {
        int previous = connection.getNetworkTimeout();
        connection.setNetworkTimeout(Runnable::run, (int) Math.min(millis, Integer.MAX_VALUE));
        return () -> {
            try {
                connection.setNetworkTimeout(Runnable::run, previous);
            } catch (SQLException | RuntimeException e) {
                // broken meanwhile: the pool discards it
            }
        };
    }

    /**
     * Whether {@link #boundNetwork} bounds every wait of this driver, the pool's own checks on it
     * included (drivers that honour {@code setNetworkTimeout} do). If not, apilock runs its
     * operations on threads of their own and gives up on them at their deadline.
     */
    boolean boundsItsOwnWaits(Connection connection) throws SQLException {
        return true;
    }

    /** The database clock, as a one-column, one-row query. */
    String databaseNowSql() {
        return "SELECT CURRENT_TIMESTAMP";
    }

    /** The type of a lock id, from its history row; null if there is no such row. */
    String lockTypeOf(Connection connection, String lockId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT lock_type FROM api_locks WHERE id = ?")) {
            bind(statement, lockId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Every lock held now, newest first. */
    List<LockInfo> active(Connection connection) throws SQLException {
        List<LockInfo> active = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(activeSql);
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                active.add(readRow(rs));
            }
        }
        return active;
    }

    /**
     * Whether a statement failed only because the database gave up on it to break a deadlock or
     * a lock wait: safe to run again.
     */
    boolean isTransient(SQLException e) {
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    /** Reads a row of {@link #ROW_COLUMNS} (or {@link #HOLDER_COLUMNS}). */
    LockInfo readRow(ResultSet rs) throws SQLException {
        String reason = rs.getString(10);
        return new LockInfo(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                timestamp(rs, 5),
                timestamp(rs, 6),
                rs.getLong(7),
                rs.getBoolean(8),
                timestamp(rs, 9),
                reason == null ? null : ReleaseReason.valueOf(reason));
    }

    /** A timestamp column as an instant; null stays null. */
    Instant timestamp(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** The holder row and the database clock of a query of {@link #HOLDER_COLUMNS} then the clock. */
    Holder readHolder(ResultSet rs) throws SQLException {
        return rs.next() ? new Holder(readRow(rs), timestamp(rs, CLOCK_COLUMN)) : new Holder(null, null);
    }

    /** Runs a query of a row's columns then the clock ({@link #readHolder}). */
    Holder queryHolder(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                return readHolder(rs);
            }
        }
    }

    /** Runs a query of a new expiry and the clock: the lease, or empty for no row. */
    Optional<Lease> queryLease(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(new Lease(timestamp(rs, 1), timestamp(rs, 2))) : Optional.empty();
            }
        }
    }

    /**
     * What an attempt comes to. The statements must agree with each other: the holder row was
     * taken exactly when the history row was inserted and the holder row now names this lock.
     * Otherwise the schema is not the one apilock's changelog creates.
     */
    static AcquireAttempt outcome(NewLock lock, boolean taken, boolean historyInserted, Holder holder,
                                  LockInfo reclaimed) {
        boolean ours = holder.row() != null && holder.row().lockId().equals(lock.lockId()) && !holder.row().released();
        if (taken != ours || historyInserted != ours) {
            throw new LockInvariantException("Lock " + lock.lockId() + " of type " + lock.lockType()
                    + ": holder row taken " + taken + ", history row inserted " + historyInserted
                    + ", holder now " + (holder.row() == null ? "none" : holder.row().lockId())
                    + "; is the schema the one apilock's changelog creates?");
        }
        return ours ? new AcquireAttempt(true, holder.row(), holder.databaseNow(), reclaimed) : refusal(holder);
    }

    /** A refusal naming the holder, if the holder row is held at the clock it was read with. */
    static AcquireAttempt refusal(Holder holder) {
        LockInfo row = holder.row();
        boolean held = row != null && row.activeAt(holder.databaseNow());
        return new AcquireAttempt(false, held ? row : null, held ? holder.databaseNow() : null, null);
    }

    /** Whether a holder row read at {@code now} is held: unreleased and unexpired. */
    static boolean held(Holder holder) {
        return holder.row() != null && holder.row().activeAt(holder.databaseNow());
    }

    /** A history row as a reclaim marks it: released at {@code at}, reason {@code EXPIRED}. */
    static LockInfo asReclaimed(LockInfo row, Instant at) {
        return new LockInfo(row.lockId(), row.lockType(), row.user(), row.referenceId(), row.acquiredAt(),
                row.expiresAt(), row.fencingToken(), true, at, ReleaseReason.EXPIRED);
    }

    static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }

    /** A holder row (null if the type was never taken) and the database clock it was read at. */
    record Holder(LockInfo row, Instant databaseNow) {
    }

    /**
     * Runs {@code work} in an explicit transaction and commits it; rolls back if it fails. Leaves
     * the connection in auto-commit mode, as {@link OwnTransactions} hands it out.
     */
    static <R> R inTransaction(Connection connection, SqlWork<R> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            R result = work.run();
            // Turning auto-commit back on commits (JDBC): one COMMIT, where commit() before it would
            // make H2 run two.
            connection.setAutoCommit(true);
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, e);
            autoCommitQuietly(connection, e);
            throw e;
        }
    }

    private static void autoCommitQuietly(Connection connection, Exception failure) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    static void rollbackQuietly(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    @FunctionalInterface
    interface SqlWork<R> {
        R run() throws SQLException;
    }
}

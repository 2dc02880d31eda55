package dev.apilock.store;

import dev.apilock.ApiLockSetupException;
import dev.apilock.LockInfo;
import dev.apilock.LockInfo.ReleaseReason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;

/**
 * The native SQL of one database, and how an acquisition runs on it. Each subclass keeps all
 * its statements together, readable as SQL; they differ only where the databases do.
 *
 * <p>The guarantee of at most one unreleased lock per type lives in the schema (a unique index),
 * not here: the conditional insert only avoids needless work, and a lost race is a quiet
 * "not acquired".
 */
abstract class LockSql {

    /** Columns of a lock row, in the order {@link #readRow} expects; queries add the clock after them. */
    static final String ROW_COLUMNS = "id, lock_type, locked_by, reference_id, acquired_at, expires_at,"
            + " fencing_token, released, released_at, release_reason";

    /** Position of the database clock selected after {@link #ROW_COLUMNS}. */
    static final int CLOCK_COLUMN = 11;

    private final String releaseSql;
    private final String forceReleaseSql;
    private final String purgeSql;
    final String extendSql;

    LockSql(String releaseSql, String forceReleaseSql, String purgeSql, String extendSql) {
        this.releaseSql = releaseSql;
        this.forceReleaseSql = forceReleaseSql;
        this.purgeSql = purgeSql;
        this.extendSql = extendSql;
    }

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
     * Reclaims an expired lock of the type, inserts the new lock if the type is free, draws its
     * fencing token and reads the type's latest active lock, all in one transaction that this
     * method begins and ends, on apilock's own connection in auto-commit mode.
     */
    abstract AcquireAttempt acquire(Connection connection, NewLock lock) throws SQLException;

    /** Marks the holder's own row released; one auto-committed statement. Parameter: the lock id. */
    final String releaseSql() {
        return releaseSql;
    }

    /**
     * An operator's release of an unreleased row, reason {@code FORCED}; like {@link #releaseSql()}
     * it must keep the one-active-lock index consistent. Parameter: the lock id.
     */
    final String forceReleaseSql() {
        return forceReleaseSql;
    }

    /**
     * Deletes history: rows acquired more than the given number of seconds ago by the database
     * clock that are released or expired, never an unreleased unexpired one. Parameter: seconds.
     */
    final String purgeSql() {
        return purgeSql;
    }

    /** The database clock, as a one-column, one-row query. */
    String databaseNowSql() {
        return "SELECT CURRENT_TIMESTAMP";
    }

    /**
     * Pushes a held lock's expiry to {@code seconds} from now by the database clock (never
     * earlier than it was), only while the row is unreleased and unexpired. Empty if the lock
     * is no longer held: an expired lock is never revived. Runs the dialect's extend statement
     * (parameters: seconds, lock id), which answers the new expiry and the database clock.
     */
    Optional<Lease> extend(Connection connection, String lockId, long seconds) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(extendSql)) {
            bind(statement, Math.toIntExact(seconds), lockId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(new Lease(timestamp(rs, 1), timestamp(rs, 2))) : Optional.empty();
            }
        }
    }

    /**
     * Whether a statement failed only because the database gave up on it to break a deadlock or
     * a lock wait: safe to run again.
     */
    boolean isTransient(SQLException e) {
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    /** Reads a row of {@link #ROW_COLUMNS}. */
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

    /** The first row of {@link #ROW_COLUMNS}, or null. */
    LockInfo readFirstRow(ResultSet rs) throws SQLException {
        return rs.next() ? readRow(rs) : null;
    }

    /**
     * Reads the result of the "latest active lock of this type, by date then id" check: the
     * origin's final step, which must agree with the insert.
     */
    AcquireAttempt readLatest(ResultSet rs, NewLock lock, boolean inserted) throws SQLException {
        LockInfo latest = rs.next() ? readRow(rs) : null;
        Instant databaseNow = latest == null ? null : timestamp(rs, CLOCK_COLUMN);
        boolean ours = latest != null && latest.lockId().equals(lock.lockId());
        if (inserted != ours) {
            throw new LockInvariantException("Lock " + lock.lockId() + " of type " + lock.lockType()
                    + (inserted ? " was inserted" : " was not inserted") + " but the latest active lock is "
                    + (latest == null ? "none" : latest.lockId())
                    + "; is the unique index ux_api_locks_one_active missing?");
        }
        return new AcquireAttempt(ours, latest, databaseNow, null);
    }

    /** Runs the latest-active check {@code latestSql} (parameter: the type) for {@code lock}. */
    AcquireAttempt queryLatest(Connection connection, String latestSql, NewLock lock, boolean inserted)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(latestSql)) {
            bind(statement, lock.lockType());
            try (ResultSet rs = statement.executeQuery()) {
                return readLatest(rs, lock, inserted);
            }
        }
    }

    /**
     * Runs {@code attempt} in an explicit transaction, for databases that cannot pipeline. If it
     * fails with an error {@code lostRace} accepts (a duplicate key, a deadlock victim), rolls
     * back and answers "not acquired" with the current holder from {@code latestSql}. The
     * connection is apilock's own, in auto-commit mode ({@link OwnTransactions}), and is left so.
     */
    AcquireAttempt inTransaction(Connection connection, NewLock lock, String latestSql, SqlWork attempt,
                                 LostRace lostRace) throws SQLException {
        connection.setAutoCommit(false);
        try {
            AcquireAttempt result = attempt.run();
            connection.commit();
            return result;
        } catch (SQLException e) {
            connection.rollback();
            if (!lostRace.test(e)) {
                throw e;
            }
            AcquireAttempt result = queryLatest(connection, latestSql, lock, false);
            connection.commit();
            return result;
        } catch (RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }

    @FunctionalInterface
    interface SqlWork {
        AcquireAttempt run() throws SQLException;
    }

    @FunctionalInterface
    interface LostRace {
        boolean test(SQLException e);
    }
}

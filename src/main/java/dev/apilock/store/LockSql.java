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

/**
 * The native SQL of one database, and how an acquisition runs on it. Each subclass keeps all
 * its statements together, readable as SQL; they differ only where the databases do.
 *
 * <p>The guarantee of at most one unreleased lock per type lives in the schema (a unique index),
 * not here: the conditional insert only avoids needless work, and a lost race is a quiet
 * "not acquired".
 */
abstract class LockSql {

    /** Columns of a lock row, then the database clock, in the order {@link #readRow} expects. */
    static final String ROW_COLUMNS = "id, lock_type, locked_by, reference_id, acquired_at, expires_at,"
            + " fencing_token, released, released_at, release_reason";

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
        throw new ApiLockSetupException("apilock does not support the database '" + product
                + "'; supported are PostgreSQL and H2");
    }

    /** A short name for logs and messages. */
    abstract String name();

    /**
     * Reclaims an expired lock of the type, inserts the new lock if the type is free, draws its
     * fencing token and reads the type's latest active lock, all in one transaction that this
     * method begins and ends. Leaves the connection's auto-commit as it found it.
     */
    abstract AcquireAttempt acquire(Connection connection, NewLock lock) throws SQLException;

    /** Marks the holder's own row released; one auto-committed statement. Parameter: the lock id. */
    abstract String releaseSql();

    /**
     * An operator's release of an unreleased row, reason {@code FORCED}; like {@link #releaseSql()}
     * it must keep the one-active-lock index consistent. Parameter: the lock id.
     */
    abstract String forceReleaseSql();

    /**
     * Deletes history: rows acquired more than the given number of seconds ago by the database
     * clock that are released or expired, never an unreleased unexpired one. Parameter: seconds.
     */
    abstract String purgeSql();

    /** The database clock, as a one-column, one-row query. */
    String databaseNowSql() {
        return "SELECT CURRENT_TIMESTAMP";
    }

    /** Reads a row of {@link #ROW_COLUMNS} followed by the database clock. */
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

    /**
     * Reads the result of the "latest active lock of this type, by date then id" check: the origin's final
     * step, which must agree with the insert.
     */
    AcquireAttempt readLatest(ResultSet rs, NewLock lock, boolean inserted) throws SQLException {
        LockInfo latest = rs.next() ? readRow(rs) : null;
        Instant databaseNow = latest == null ? null : timestamp(rs, 11);
        boolean ours = latest != null && latest.lockId().equals(lock.lockId());
        if (inserted != ours) {
            throw new LockInvariantException("Lock " + lock.lockId() + " of type " + lock.lockType()
                    + (inserted ? " was inserted" : " was not inserted") + " but the latest active lock is "
                    + (latest == null ? "none" : latest.lockId())
                    + "; is the unique index ux_api_locks_one_active missing?");
        }
        return new AcquireAttempt(ours, latest, databaseNow);
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
}

package dev.apilock.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Reads {@link WriteCounters} without adding to them: on PostgreSQL the table's counters are read
 * inside one open, read-only transaction that never commits (a fresh statistics snapshot each
 * time), and the database's transaction counts from a session on another database.
 */
final class CounterReader implements AutoCloseable {

    private final BenchDatabase database;
    private final Connection connection;
    private final Connection admin;

    CounterReader(BenchDatabase database) throws SQLException {
        this.database = database;
        this.connection = database.connect();
        if (database.isPostgres()) {
            connection.setAutoCommit(false);
            admin = DriverManager.getConnection(database.adminUrl(), database.user(), database.password());
        } else {
            admin = null;
        }
    }

    WriteCounters read(String table) throws SQLException {
        long rows;
        try (Statement statement = connection.createStatement()) {
            if (database.isPostgres()) {
                statement.execute("SELECT pg_stat_clear_snapshot()");
            }
            try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                rows = rs.getLong(1);
            }
        }
        if (!database.isPostgres()) {
            return new WriteCounters(-1, -1, -1, -1, -1, -1, rows);
        }
        long[] tuples;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT n_tup_ins, n_tup_upd, n_tup_del, pg_current_wal_lsn() - '0/0'::pg_lsn"
                        + " FROM pg_stat_user_tables WHERE relname = ?")) {
            statement.setString(1, table);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                tuples = new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
            }
        }
        try (PreparedStatement statement = admin.prepareStatement(
                "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = ?")) {
            statement.setString(1, connection.getCatalog());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return new WriteCounters(rs.getLong(1), rs.getLong(2), tuples[0], tuples[1], tuples[2], tuples[3],
                        rows);
            }
        }
    }

    /** The server's WAL position in bytes. */
    long walPosition() throws SQLException {
        try (Statement statement = admin.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            if (database.isPostgres()) {
                connection.rollback();
                admin.close();
            }
        } finally {
            connection.close();
        }
    }
}

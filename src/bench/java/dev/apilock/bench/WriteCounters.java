package dev.apilock.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a database shows of writes: on PostgreSQL the benchmark database's committed and rolled
 * back transactions ({@code pg_stat_database}), the table's inserted, updated and deleted tuples
 * ({@code pg_stat_user_tables}, counting aborted ones too) and the WAL position (cluster-wide);
 * on both databases the table's row count. Fields PostgreSQL alone has are -1 on H2.
 */
record WriteCounters(long commits, long rollbacks, long inserted, long updated, long deleted, long walPosition,
                     long rows) {

    static WriteCounters read(BenchDatabase database, String table) throws SQLException {
        try (Connection connection = database.connect()) {
            long rows = count(connection, table);
            if (!database.isPostgres()) {
                return new WriteCounters(-1, -1, -1, -1, -1, -1, rows);
            }
            long[] tuples = new long[3];
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables WHERE relname = ?")) {
                statement.setString(1, table);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    tuples = new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
                }
            }
            long[] transactions = transactions(database, connection.getCatalog());
            return new WriteCounters(transactions[0], transactions[1], tuples[0], tuples[1], tuples[2],
                    walPosition(connection), rows);
        }
    }

    /**
     * The database's transaction counters, read from a session on another database so that
     * reading them does not count a transaction of its own.
     */
    private static long[] transactions(BenchDatabase database, String name) throws SQLException {
        try (Connection admin = DriverManager.getConnection(database.adminUrl(), database.user(), database.password());
             PreparedStatement statement = admin.prepareStatement(
                     "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = ?")) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    static long walPosition(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The change from {@code before} to this. */
    WriteCounters minus(WriteCounters before) {
        return new WriteCounters(commits - before.commits, rollbacks - before.rollbacks, inserted - before.inserted,
                updated - before.updated, deleted - before.deleted, walPosition - before.walPosition,
                rows - before.rows);
    }

    /** Same transaction and tuple counts: the server has published everything it had pending. */
    boolean sameCountsAs(WriteCounters other) {
        return commits == other.commits && rollbacks == other.rollbacks && inserted == other.inserted
                && updated == other.updated && deleted == other.deleted && rows == other.rows;
    }
}

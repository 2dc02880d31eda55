package dev.apilock.bench;

import dev.apilock.bench.WriteCounters.Counter;
import dev.apilock.bench.WriteCounters.Scope;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link WriteCounters} of a library's tables without adding to them.
 *
 * <p>PostgreSQL: the tables' tuple counters ({@code pg_stat_user_tables}, aborted writes
 * included) inside one open, read-only transaction that never commits (a fresh statistics snapshot
 * each time); the benchmark database's commits and rollbacks ({@code pg_stat_database}) and the
 * server's WAL position from a session on another database.
 *
 * <p>MariaDB: the tables' InnoDB {@code MODIFIED_COUNTER} (rows changed since the last
 * {@code ANALYZE}, per table) and the server's global status counters of writes and transactions,
 * which cover every database of the server. {@code Com_commit} counts explicit {@code COMMIT}s.
 *
 * <p>H2: the tables' row count alone.
 */
final class CounterReader implements AutoCloseable {

    private static final String[] MARIADB_STATUS = {"Handler_write", "Handler_update", "Handler_delete",
        "Innodb_rows_inserted", "Innodb_rows_updated", "Innodb_rows_deleted", "Com_commit", "Com_rollback"};

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

    WriteCounters read(List<String> tables) throws SQLException {
        List<Counter> counters = new ArrayList<>();
        if (database.isPostgres()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_stat_clear_snapshot()");
            }
        }
        long rows = 0;
        for (String table : tables) {
            rows += query(connection, "SELECT COUNT(*) FROM " + table)[0];
        }
        counters.add(new Counter("rows added", Scope.TABLES, rows));
        switch (database.kind()) {
            case POSTGRESQL -> {
                long[] tuples = new long[3];
                for (String table : tables) {
                    long[] t = query(connection, "SELECT n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables"
                            + " WHERE relname = '" + table + "'");
                    for (int i = 0; i < 3; i++) {
                        tuples[i] += t[i];
                    }
                }
                counters.add(new Counter("tuples ins / upd / del", Scope.TABLES, tuples));
                counters.add(new Counter("commits / rollbacks", Scope.DATABASE, query(admin,
                        "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = '"
                                + database.name() + "'")));
            }
            case MARIADB -> {
                long modified = 0;
                for (String table : tables) {
                    modified += query(connection, "SELECT MODIFIED_COUNTER FROM information_schema.INNODB_SYS_TABLESTATS"
                            + " WHERE NAME = '" + database.name() + "/" + table + "'")[0];
                }
                counters.add(new Counter("InnoDB rows modified", Scope.TABLES, modified));
            }
            case H2 -> {
                // no write counters
            }
        }
        counters.addAll(serverWide());
        return new WriteCounters(counters);
    }

    /** The counters that cover the whole server, for an idle window. */
    List<Counter> serverWide() throws SQLException {
        switch (database.kind()) {
            case POSTGRESQL -> {
                return List.of(new Counter("WAL bytes", Scope.SERVER,
                        query(admin, "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")));
            }
            case MARIADB -> {
                Map<String, Long> status = new HashMap<>();
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN ('"
                             + String.join("', '", MARIADB_STATUS) + "')")) {
                    while (rs.next()) {
                        status.put(rs.getString(1), rs.getLong(2));
                    }
                }
                long[] values = new long[MARIADB_STATUS.length];
                for (int i = 0; i < values.length; i++) {
                    values[i] = status.getOrDefault(MARIADB_STATUS[i], 0L);
                }
                return List.of(
                        new Counter("Handler_write / _update / _delete", Scope.SERVER, values[0], values[1], values[2]),
                        new Counter("Innodb_rows_inserted / _updated / _deleted", Scope.SERVER,
                                values[3], values[4], values[5]),
                        new Counter("Com_commit / Com_rollback", Scope.SERVER, values[6], values[7]));
            }
            default -> {
                return List.of();
            }
        }
    }

    /** The first row of a query's answer, its columns as longs. */
    private static long[] query(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rs = statement.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            long[] values = new long[columns];
            if (rs.next()) {
                for (int i = 0; i < columns; i++) {
                    values[i] = rs.getLong(i + 1);
                }
            }
            return values;
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

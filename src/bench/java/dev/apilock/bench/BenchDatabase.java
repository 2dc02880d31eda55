package dev.apilock.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The database of one benchmark run: a fresh in-memory H2, or a freshly created database on the
 * PostgreSQL server (dropped on {@link #close()}). Every library gets a pool of the same size
 * and settings from {@link #pool(String)}.
 *
 * <p>The PostgreSQL server is {@code 127.0.0.1:5432}, user {@code postgres}, unless
 * {@code APILOCK_TEST_POSTGRES_URL}, {@code _USER} and {@code _PASSWORD} say otherwise (as for
 * the tests); the benchmark database is created next to the database that URL names.
 */
final class BenchDatabase implements AutoCloseable {

    /** Pool size of every library, and of the floors: enough for the 8-thread scenarios. */
    static final int POOL_SIZE = 8;

    /** How the benchmark's PostgreSQL sessions show in {@code pg_stat_activity}. */
    static final String APPLICATION_NAME = "apilock-bench";

    enum Kind {
        H2("H2 (in memory)"), POSTGRESQL("PostgreSQL");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final Kind kind;
    private final String name;
    private final String url;
    private final String user;
    private final String password;
    private final String adminUrl;
    private final List<HikariDataSource> pools = new ArrayList<>();

    private BenchDatabase(Kind kind, String name, String url, String user, String password, String adminUrl) {
        this.kind = kind;
        this.name = name;
        this.url = url;
        this.user = user;
        this.password = password;
        this.adminUrl = adminUrl;
    }

    static BenchDatabase create(Kind kind) throws SQLException {
        String name = "apilock_bench_" + UUID.randomUUID().toString().substring(0, 8);
        if (kind == Kind.H2) {
            return new BenchDatabase(kind, name, "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "", null);
        }
        String server = env("APILOCK_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = env("APILOCK_TEST_POSTGRES_USER", "postgres");
        String password = env("APILOCK_TEST_POSTGRES_PASSWORD", "");
        try (Connection admin = DriverManager.getConnection(server, user, password);
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
            // Spring Integration's refused inserts fail with a duplicate key: keep those
            // thousands of expected errors out of the shared server log (this database only).
            statement.execute("ALTER DATABASE " + name + " SET log_min_messages = fatal");
            statement.execute("ALTER DATABASE " + name + " SET log_min_error_statement = panic");
        }
        BenchDatabase database = new BenchDatabase(kind, name, withDatabase(server, name), user, password, server);
        Runtime.getRuntime().addShutdownHook(new Thread(database::drop, "bench-drop-database"));
        return database;
    }

    /** The JDBC URL with its database name replaced, keeping any parameters. */
    private static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        String parameters = query < 0 ? "" : url.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + parameters;
    }

    String adminUrl() {
        return adminUrl;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    Kind kind() {
        return kind;
    }

    boolean isPostgres() {
        return kind == Kind.POSTGRESQL;
    }

    /** A new pool, closed with this database. Every library's pool has the same settings. */
    HikariDataSource pool(String owner) {
        return pool(owner, POOL_SIZE);
    }

    HikariDataSource pool(String owner, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(30_000);
        config.setPoolName("bench-" + owner.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
        if (isPostgres()) {
            config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        }
        HikariDataSource pool = new HikariDataSource(config);
        synchronized (pools) {
            pools.add(pool);
        }
        return pool;
    }

    /** A plain connection outside any pool, for set-up and counters; the caller closes it. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The server's version, and on PostgreSQL the settings that shape a commit's cost. */
    String version() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            if (!isPostgres()) {
                try (ResultSet rs = statement.executeQuery("SELECT H2VERSION()")) {
                    rs.next();
                    return "H2 " + rs.getString(1);
                }
            }
            try (ResultSet rs = statement.executeQuery("""
                    SELECT current_setting('server_version'), current_setting('fsync'),
                           current_setting('synchronous_commit'), current_setting('wal_sync_method'),
                           current_setting('full_page_writes'), current_setting('autovacuum')""")) {
                rs.next();
                return "PostgreSQL " + rs.getString(1) + " (fsync " + rs.getString(2) + ", synchronous_commit "
                        + rs.getString(3) + ", wal_sync_method " + rs.getString(4) + ", full_page_writes "
                        + rs.getString(5) + ", autovacuum " + rs.getString(6) + ")";
            }
        }
    }

    /**
     * Fresh planner statistics and no dead rows, as autovacuum would leave the table (the local
     * server may run without it). An empty table is left alone, as autovacuum leaves it: on
     * PostgreSQL, statistics that say "empty" make every statement plan a sequential scan, and a
     * pooled connection keeps those cached plans while the table grows.
     */
    void vacuumAnalyze(String table) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table + ")")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return;
                }
            }
            statement.execute(isPostgres() ? "VACUUM ANALYZE " + table : "ANALYZE TABLE " + table);
        }
    }

    @Override
    public void close() {
        List<HikariDataSource> toClose;
        synchronized (pools) {
            toClose = new ArrayList<>(pools);
            pools.clear();
        }
        toClose.forEach(HikariDataSource::close);
        if (kind == Kind.H2) {
            try {
                execute("SHUTDOWN");
            } catch (SQLException e) {
                System.err.println("Could not shut down H2: " + e.getMessage());
            }
        }
        drop();
    }

    private synchronized void drop() {
        if (adminUrl == null) {
            return;
        }
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("Could not drop benchmark database " + name + ": " + e.getMessage());
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

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
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The database of one benchmark run: a fresh in-memory H2, or a freshly created database on the
 * PostgreSQL or MariaDB server (dropped on {@link #close()}). Every library gets a pool of the
 * same size and settings from {@link #pool(String)}, whose connections count what they send to
 * the server ({@link RoundTrips}).
 *
 * <p>The PostgreSQL server is {@code 127.0.0.1:5432}, user {@code postgres}, and the MariaDB
 * server {@code 127.0.0.1:3306}, user {@code root}, unless {@code APILOCK_TEST_POSTGRES_URL} /
 * {@code APILOCK_TEST_MARIADB_URL}, {@code _USER} and {@code _PASSWORD} say otherwise (as for the
 * tests); the benchmark database is created next to the database that URL names.
 */
final class BenchDatabase implements AutoCloseable {

    /** Pool size of every library, and of the floors: enough for the 8-thread scenarios. */
    static final int POOL_SIZE = 8;

    /** How the benchmark's PostgreSQL sessions show in {@code pg_stat_activity}. */
    static final String APPLICATION_NAME = "apilock-bench";

    enum Kind {
        H2("H2 (in memory)"), POSTGRESQL("PostgreSQL"), MARIADB("MariaDB");

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
    private final Map<DataSource, RoundTrips> roundTrips = new ConcurrentHashMap<>();

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
        return switch (kind) {
            case H2 -> new BenchDatabase(kind, name, "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "", null);
            case POSTGRESQL -> server(kind, name, "POSTGRES", "jdbc:postgresql://127.0.0.1:5432/test", "postgres",
                    // Spring Integration's refused inserts fail with a duplicate key: keep those
                    // thousands of expected errors out of the shared server log (this database only).
                    "CREATE DATABASE " + name,
                    "ALTER DATABASE " + name + " SET log_min_messages = fatal",
                    "ALTER DATABASE " + name + " SET log_min_error_statement = panic");
            case MARIADB -> server(kind, name, "MARIADB", "jdbc:mariadb://127.0.0.1:3306/test", "root",
                    "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        };
    }

    private static BenchDatabase server(Kind kind, String name, String env, String defaultUrl, String defaultUser,
                                        String... createStatements) throws SQLException {
        String server = env("APILOCK_TEST_" + env + "_URL", defaultUrl);
        String user = env("APILOCK_TEST_" + env + "_USER", defaultUser);
        String password = env("APILOCK_TEST_" + env + "_PASSWORD", "");
        try (Connection admin = DriverManager.getConnection(server, user, password);
             Statement statement = admin.createStatement()) {
            for (String sql : createStatements) {
                statement.execute(sql);
            }
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

    boolean isH2() {
        return kind == Kind.H2;
    }

    boolean isMariaDb() {
        return kind == Kind.MARIADB;
    }

    /** This database's name on its server (H2's in-memory database's name). */
    String name() {
        return name;
    }

    /** The dialect's statement of three: {@code postgres} on PostgreSQL, {@code mariadb} on MariaDB, else {@code h2}. */
    String pick(String postgres, String mariadb, String h2) {
        return switch (kind) {
            case POSTGRESQL -> postgres;
            case MARIADB -> mariadb;
            case H2 -> h2;
        };
    }

    /**
     * A FROM item of the numbers {@code from}..{@code to} as column {@code g}, for bulk loads:
     * {@code generate_series} on PostgreSQL, {@code SYSTEM_RANGE} on H2, the SEQUENCE engine's
     * {@code seq_<from>_to_<to>} on MariaDB (its recursive CTEs stop at 1000 rows by default).
     */
    String numbers(long from, long to) {
        return pick("generate_series(%d::bigint, %d::bigint) AS s(g)", "(SELECT seq AS g FROM seq_%d_to_%d) s",
                "(SELECT X AS g FROM SYSTEM_RANGE(%d, %d)) s").formatted(from, to);
    }

    /** A new pool, closed with this database. Every library's pool has the same settings. */
    HikariDataSource pool(String owner) {
        return pool(owner, POOL_SIZE);
    }

    HikariDataSource pool(String owner, int size) {
        HikariConfig config = new HikariConfig();
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        if (isPostgres()) {
            properties.setProperty("ApplicationName", APPLICATION_NAME);
        }
        RoundTrips counter = new RoundTrips(url, properties);
        config.setDataSource(counter);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(30_000);
        config.setPoolName("bench-" + owner.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
        HikariDataSource pool = new HikariDataSource(config);
        roundTrips.put(pool, counter);
        synchronized (pools) {
            pools.add(pool);
        }
        return pool;
    }

    /** What the connections of {@code pool}, one of this database's, have sent to the server so far. */
    long roundTrips(DataSource pool) {
        RoundTrips counter = roundTrips.get(pool);
        if (counter == null) {
            throw new IllegalArgumentException("not a pool of this database: " + pool);
        }
        return counter.count();
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

    /** The server's version, and on PostgreSQL and MariaDB the settings that shape a commit's cost. */
    String version() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            String sql = pick("""
                    SELECT 'PostgreSQL ' || current_setting('server_version') || ' (fsync ' || current_setting('fsync')
                           || ', synchronous_commit ' || current_setting('synchronous_commit')
                           || ', wal_sync_method ' || current_setting('wal_sync_method')
                           || ', full_page_writes ' || current_setting('full_page_writes')
                           || ', autovacuum ' || current_setting('autovacuum') || ')'""", """
                    SELECT CONCAT('MariaDB ', VERSION(), ' (innodb_flush_log_at_trx_commit ',
                                  @@innodb_flush_log_at_trx_commit, ', sync_binlog ', @@sync_binlog,
                                  ', binlog ', IF(@@log_bin, 'on', 'off'), ', innodb_flush_method ',
                                  @@innodb_flush_method, ', innodb_doublewrite ', @@innodb_doublewrite, ')')""",
                    "SELECT 'H2 ' || H2VERSION()");
            try (ResultSet rs = statement.executeQuery(sql)) {
                rs.next();
                return rs.getString(1);
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
            statement.execute((isPostgres() ? "VACUUM ANALYZE " : "ANALYZE TABLE ") + table);
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
            statement.execute("DROP DATABASE IF EXISTS " + name + (isPostgres() ? " WITH (FORCE)" : ""));
        } catch (SQLException e) {
            System.err.println("Could not drop benchmark database " + name + ": " + e.getMessage());
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

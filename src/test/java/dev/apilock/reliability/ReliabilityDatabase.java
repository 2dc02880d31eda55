package dev.apilock.reliability;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.apilock.LockTable;
import dev.apilock.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database of one reliability test class: a fresh schema on the machine's PostgreSQL, H2 in
 * server mode (so that other processes reach it), or H2 in memory. Hands out pools of its own
 * whose connections carry an {@code ApplicationName} on PostgreSQL, so that a test can find and
 * kill exactly its own backends.
 */
final class ReliabilityDatabase implements AutoCloseable {

    enum Target {
        POSTGRESQL, MARIADB, H2_SERVER, H2_MEMORY
    }

    private static final Pattern HOST_PORT = Pattern.compile("//([^/:]+):(\\d+)/");

    private final Target target;
    private final TestDatabase database;
    private final H2TcpServer h2Server;
    private final LockTable table;
    private final List<HikariDataSource> pools = new ArrayList<>();

    private ReliabilityDatabase(Target target, TestDatabase database, H2TcpServer h2Server) {
        this.target = target;
        this.database = database;
        this.h2Server = h2Server;
        this.table = new LockTable(database);
    }

    static ReliabilityDatabase open(Target target, String owner) {
        return switch (target) {
            case POSTGRESQL -> new ReliabilityDatabase(target,
                    TestDatabase.create(TestDatabase.Kind.POSTGRESQL, owner), null);
            case MARIADB -> new ReliabilityDatabase(target, TestDatabase.create(TestDatabase.Kind.MARIADB, owner), null);
            case H2_MEMORY -> new ReliabilityDatabase(target, TestDatabase.create(TestDatabase.Kind.H2, owner), null);
            case H2_SERVER -> {
                H2TcpServer server = H2TcpServer.start();
                String name = "apilock_" + owner.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "")
                        + "_" + UUID.randomUUID().toString().substring(0, 8);
                try {
                    yield new ReliabilityDatabase(target,
                            TestDatabase.attach(TestDatabase.Kind.H2, server.url(name), "sa", ""), server);
                } catch (RuntimeException e) {
                    server.close();
                    throw e;
                }
            }
        };
    }

    Target target() {
        return target;
    }

    boolean isPostgres() {
        return target == Target.POSTGRESQL;
    }

    TestDatabase testDatabase() {
        return database;
    }

    LockTable table() {
        return table;
    }

    String url() {
        return database.url();
    }

    /** The TCP port of the database server, read from the JDBC URL. */
    int serverPort() {
        Matcher matcher = HOST_PORT.matcher(database.url());
        if (!matcher.find()) {
            throw new IllegalStateException("no host:port in " + database.url());
        }
        return Integer.parseInt(matcher.group(2));
    }

    /** The JDBC URL with the server's host and port replaced by the proxy's. */
    String urlThrough(TcpProxy proxy) {
        return HOST_PORT.matcher(database.url()).replaceFirst("//127.0.0.1:" + proxy.port() + "/");
    }

    /** A pool of its own, as an application instance has; closed with this database. */
    HikariDataSource pool(String applicationName, int size) {
        return pool(database.url(), applicationName, size);
    }

    /** As {@link #pool(String, int)}, on another URL of the same database (e.g. through a proxy). */
    HikariDataSource pool(String url, String applicationName, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(2_000);
        config.setPoolName(applicationName);
        if (isPostgres()) {
            config.addDataSourceProperty("ApplicationName", applicationName);
        }
        HikariDataSource pool = new HikariDataSource(config);
        synchronized (pools) {
            pools.add(pool);
        }
        return pool;
    }

    /** The database clock now, read on a connection of its own. */
    Instant now() {
        return now(database);
    }

    static Instant now(TestDatabase database) {
        return database.now();
    }

    /** A timestamp column of one lock row, by the database clock. */
    Instant instant(String column, String lockId) {
        try (Connection connection = database.connect();
             var statement = connection.prepareStatement("SELECT " + column + " FROM api_locks WHERE id = ?")) {
            statement.setString(1, lockId);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no row " + lockId);
                }
                if (target == Target.MARIADB) { // UTC in DATETIME(6)
                    java.time.LocalDateTime value = rs.getObject(1, java.time.LocalDateTime.class);
                    return value == null ? null : value.toInstant(java.time.ZoneOffset.UTC);
                }
                OffsetDateTime value = rs.getObject(1, OffsetDateTime.class);
                return value == null ? null : value.toInstant();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sleeps until the database clock has passed {@code instant}. */
    void awaitClockPast(Instant instant) {
        awaitClockPast(database, instant);
    }

    static void awaitClockPast(TestDatabase database, Instant instant) {
        while (!now(database).isAfter(instant)) {
            sleep(50);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        synchronized (pools) {
            pools.forEach(HikariDataSource::close);
            pools.clear();
        }
        database.close();
        if (h2Server != null) {
            h2Server.close();
        }
    }
}

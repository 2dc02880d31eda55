package dev.apilock;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * A real database for one test class: H2 in memory, or a freshly created schema on the
 * machine's PostgreSQL, migrated with apilock's changelog and dropped on {@link #close()}.
 *
 * <p>A server that cannot be reached skips the class with a notice on stderr, unless the
 * environment variable {@code APILOCK_TEST_REQUIRE} names it (e.g. {@code postgresql}), which
 * turns the skip into a failure so CI can never pass by skipping.
 */
public final class TestDatabase implements AutoCloseable {

    public enum Kind {
        H2, POSTGRESQL, MARIADB
    }

    private final Kind kind;
    private final String url;
    private final String user;
    private final String password;
    private final Runnable dropper;
    private final List<AutoCloseable> resources = new ArrayList<>();

    private TestDatabase(Kind kind, String url, String user, String password, Runnable dropper) {
        this.kind = kind;
        this.url = url;
        this.user = user;
        this.password = password;
        this.dropper = dropper;
    }

    public static TestDatabase create(Kind kind, String owner) {
        String name = ("apilock_" + owner.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT) + "_"
                + UUID.randomUUID().toString().substring(0, 8));
        TestDatabase database = switch (kind) {
            case H2 -> new TestDatabase(kind, "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "", () -> { });
            case POSTGRESQL -> postgres(name);
            case MARIADB -> mariadb(name);
        };
        ApiLockSchema.migrate(database.dataSource());
        return database;
    }

    /**
     * A database that the caller created and owns (an H2 server, a private PostgreSQL cluster),
     * migrated with apilock's changelog; {@link #close()} closes the pools but drops nothing.
     */
    public static TestDatabase attach(Kind kind, String url, String user, String password) {
        TestDatabase database = new TestDatabase(kind, url, user, password, () -> { });
        ApiLockSchema.migrate(database.dataSource());
        return database;
    }

    /**
     * An existing database, e.g. one that command line processes created, for {@link #connect()}
     * and {@link LockTable} only: not migrated, no pool, nothing dropped or shut down. Unlike
     * {@link #attach}, it keeps no connection open, so an embedded H2 database in auto-server
     * mode stays with the processes that share it.
     */
    public static TestDatabase inspect(Kind kind, String url, String user, String password) {
        return new TestDatabase(kind, url, user, password, () -> { });
    }

    private static TestDatabase postgres(String schema) {
        String server = env("APILOCK_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = env("APILOCK_TEST_POSTGRES_USER", "postgres");
        String password = env("APILOCK_TEST_POSTGRES_PASSWORD", "");
        try (Connection admin = DriverManager.getConnection(server + "?connectTimeout=5", user, password);
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            unavailable(Kind.POSTGRESQL, server, e);
        }
        Runnable drop = () -> {
            try (Connection admin = DriverManager.getConnection(server, user, password);
                 Statement statement = admin.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (SQLException e) {
                System.err.println("Could not drop test schema " + schema + ": " + e.getMessage());
            }
        };
        return new TestDatabase(Kind.POSTGRESQL, server + "?currentSchema=" + schema, user, password, drop);
    }

    private static TestDatabase mariadb(String database) {
        String server = env("APILOCK_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/");
        String user = env("APILOCK_TEST_MARIADB_USER", "root");
        String password = env("APILOCK_TEST_MARIADB_PASSWORD", "");
        try (Connection admin = DriverManager.getConnection(server + "?connectTimeout=5000", user, password);
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        } catch (SQLException e) {
            unavailable(Kind.MARIADB, server, e);
        }
        Runnable drop = () -> {
            try (Connection admin = DriverManager.getConnection(server, user, password);
                 Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database);
            } catch (SQLException e) {
                System.err.println("Could not drop test database " + database + ": " + e.getMessage());
            }
        };
        // A session time zone far from UTC: any use of the session's clock instead of UTC shows up.
        return new TestDatabase(Kind.MARIADB, server + database + "?sessionVariables=time_zone='+07:00'",
                user, password, drop);
    }

    private static void unavailable(Kind kind, String url, Exception cause) {
        String required = env("APILOCK_TEST_REQUIRE", "");
        boolean mustRun = Arrays.stream(required.split(","))
                .map(String::trim)
                .anyMatch(name -> name.equalsIgnoreCase(kind.name()));
        String message = kind + " at " + url + " is unreachable (" + cause.getMessage() + ")";
        if (mustRun) {
            throw new IllegalStateException(message + "; APILOCK_TEST_REQUIRE=" + required + " requires it", cause);
        }
        System.err.println("NOTICE: " + message + ": its tests are SKIPPED."
                + " Set APILOCK_TEST_REQUIRE=" + kind.name().toLowerCase(Locale.ROOT) + " to fail instead.");
        Assumptions.abort(message + ": skipped");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public Kind kind() {
        return kind;
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A new pool of its own, closed with this database: one per simulated application instance. */
    public HikariDataSource dataSource(int maximumPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maximumPoolSize);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(10_000);
        config.setPoolName("test-" + kind.name().toLowerCase(Locale.ROOT) + "-" + resources.size());
        HikariDataSource dataSource = new HikariDataSource(config);
        synchronized (resources) {
            resources.add(dataSource);
        }
        return dataSource;
    }

    public HikariDataSource dataSource() {
        return dataSource(4);
    }

    /** A standalone apilock factory on a pool of its own, closed with this database. */
    public EntityManagerFactory entityManagerFactory(DataSource dataSource) {
        EntityManagerFactory factory = ApiLockPersistence.createEntityManagerFactory(dataSource);
        synchronized (resources) {
            resources.add(factory::close);
        }
        return factory;
    }

    public EntityManagerFactory entityManagerFactory() {
        return entityManagerFactory(dataSource());
    }

    /** The database clock, read as the library reads it (MariaDB keeps UTC in DATETIME). */
    public Instant now() {
        String sql = kind == Kind.MARIADB ? "SELECT UTC_TIMESTAMP(6)" : "SELECT CURRENT_TIMESTAMP";
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return kind == Kind.MARIADB
                    ? rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC)
                    : rs.getObject(1, OffsetDateTime.class).toInstant();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plain connection, outside any pool; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    @Override
    public void close() {
        List<AutoCloseable> toClose;
        synchronized (resources) {
            toClose = new ArrayList<>(resources);
            resources.clear();
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                System.err.println("Could not close a test resource: " + e.getMessage());
            }
        }
        if (kind == Kind.H2) {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (SQLException e) {
                System.err.println("Could not shut down H2: " + e.getMessage());
            }
        }
        dropper.run();
    }
}

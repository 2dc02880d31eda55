package dev.apilock.reliability;

import dev.apilock.TestDatabase;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A private PostgreSQL primary with a streaming standby, the standby's replication connection
 * through a proxy the test can silence, and what a failover does: {@code kill -9} of the
 * primary, then {@code pg_ctl promote} of the standby. Clients reach whichever is the primary
 * through one multi-host URL, as an application configured for failover does. The schema is
 * migrated before the standby is made, so both have it.
 */
final class FailoverPair implements AutoCloseable {

    /** How the primary's commits wait for the standby. */
    enum Replication {
        /** {@code synchronous_standby_names} names the standby: a commit returns once the standby has flushed it. */
        SYNCHRONOUS,
        /** A commit returns once flushed locally; the standby follows when it can. */
        ASYNCHRONOUS
    }

    private static final String STANDBY = "standby";

    private final PrivatePostgres primary;
    private final TcpProxy proxy;
    private final PrivatePostgres standby;

    private FailoverPair(PrivatePostgres primary, TcpProxy proxy, PrivatePostgres standby) {
        this.primary = primary;
        this.proxy = proxy;
        this.standby = standby;
    }

    static FailoverPair start(Replication replication) throws IOException {
        PrivatePostgres primary = PrivatePostgres.start();
        TcpProxy proxy = null;
        try {
            TestDatabase.attach(TestDatabase.Kind.POSTGRESQL, primary.url(), "postgres", "").close();
            proxy = TcpProxy.start(primary.port());
            FailoverPair pair = new FailoverPair(primary, proxy, primary.startStandby(proxy.port(), STANDBY));
            if (replication == Replication.SYNCHRONOUS) {
                execute(primary, "ALTER SYSTEM SET synchronous_standby_names = '" + STANDBY + "'");
                execute(primary, "SELECT pg_reload_conf()");
            }
            pair.awaitReplication(replication == Replication.SYNCHRONOUS ? "sync" : "async");
            return pair;
        } catch (IOException | RuntimeException e) {
            if (proxy != null) {
                proxy.close();
            }
            primary.close();
            throw e;
        }
    }

    /**
     * Both servers, the primary first; {@code targetServerType=primary} makes the driver skip a
     * standby, {@code hostRecheckSeconds=1} makes it look again a second after it found one.
     */
    String url() {
        return "jdbc:postgresql://127.0.0.1:" + primary.port() + ",127.0.0.1:" + standby.port()
                + "/postgres?targetServerType=primary&hostRecheckSeconds=1&connectTimeout=2";
    }

    /** The standby, for assertions once it is the primary: no pool, no migration. */
    TestDatabase standbyDatabase() {
        return TestDatabase.inspect(TestDatabase.Kind.POSTGRESQL, standby.url(), "postgres", "");
    }

    /** Waits until the standby has replayed everything the primary has flushed so far. */
    void awaitStandbyCaughtUp() {
        String flushed = query(primary, "SELECT pg_current_wal_flush_lsn()");
        await(() -> "t".equals(query(standby, "SELECT pg_last_wal_replay_lsn() >= '" + flushed + "'::pg_lsn")),
                "the standby replaying up to " + flushed);
    }

    /** The replication connection keeps open but carries nothing: the standby falls behind, unaware. */
    void silenceReplication() {
        proxy.silence(TcpProxy.Direction.BOTH);
    }

    /**
     * The failover: the primary dies at once ({@code kill -9} of every process), and after
     * {@code detection} (the time a failover manager takes to decide) the standby is promoted.
     * Returns once the standby accepts writes.
     */
    void failOver(Duration detection) throws IOException {
        primary.kill();
        ReliabilityDatabase.sleep(detection.toMillis());
        standby.promote();
    }

    private void awaitReplication(String syncState) {
        await(() -> syncState.equals(query(primary, "SELECT sync_state FROM pg_stat_replication"
                + " WHERE application_name = '" + STANDBY + "' AND state = 'streaming'")),
                "the standby streaming (" + syncState + ")");
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what);
            }
            ReliabilityDatabase.sleep(50);
        }
    }

    /** The first column of the first row, as text, or null without a row. */
    private static String query(PrivatePostgres cluster, String sql) {
        try (Connection connection = DriverManager.getConnection(cluster.url(), "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static void execute(PrivatePostgres cluster, String sql) {
        try (Connection connection = DriverManager.getConnection(cluster.url(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        proxy.close();
        standby.close();
        primary.close();
    }
}

package dev.apilock.cli;

import dev.apilock.ApiLockException;
import dev.apilock.ApiLockSchema;
import dev.apilock.ApiLockSetupException;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The database the command line works on. Nothing connects until a command, its input checked,
 * calls {@link #open()}: that connects, applies the changelog only if the schema lacks change
 * sets of this version (a new database, or an upgrade), and hands out the apilock persistence
 * unit, started meanwhile.
 *
 * <p>An embedded H2 database is closed by H2 whenever its last connection closes, and opening it
 * again costs tens of milliseconds; so while a command works on one, it keeps a connection open
 * (not while {@code run}'s command runs for long: see {@link #idle()}).
 */
final class CliDatabase implements AutoCloseable {

    /** The embedded default: a file database under the working directory, shared through H2's auto-server mode. */
    static final String EMBEDDED_DIRECTORY = ".apilock";

    private final String url;
    private final String user;
    private final String password;
    private final DatabaseKind kind;
    private EntityManagerFactory factory;
    private Connection keeper;
    private BooleanSupplier refuseConnections = () -> false;

    CliDatabase(ConnectionOptions options) {
        boolean embedded = options.url == null || options.url.isBlank();
        this.url = embedded ? embeddedUrl() : options.url.strip();
        this.user = options.user != null ? options.user : embedded ? "sa" : null;
        this.password = options.password != null ? options.password : embedded ? "" : null;
        this.kind = DatabaseKind.of(url).orElseThrow(() -> new ApiLockSetupException("Unsupported database URL '"
                + Redaction.url(Output.printable(url)) + "': apilock supports jdbc:postgresql:, jdbc:mariadb: and jdbc:h2: URLs"));
    }

    /** The first process to open the file serves it to the others over TCP while it has it open (auto-server). */
    private static String embeddedUrl() {
        Path file = Path.of(EMBEDDED_DIRECTORY, "apilock").toAbsolutePath().normalize();
        return "jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE";
    }

    /** The URL as it may be shown: without passwords. */
    String safeUrl() {
        return Redaction.url(url);
    }

    /**
     * Connects, brings the schema up to date if it has to, and returns the apilock persistence
     * unit, opened and ready; once, and closed by {@link #close()}. Hibernate starts while the
     * connection is made and the schema checked: it needs no connection to start.
     *
     * @throws DatabaseUnavailableException if the database cannot be reached
     */
    synchronized EntityManagerFactory open() {
        if (factory == null) {
            SimpleDataSource dataSource = dataSource();
            CompletableFuture<EntityManagerFactory> starting = CliPersistence.start(dataSource, kind);
            Connection connection = connect(dataSource);
            try {
                if (!SchemaCheck.isCurrent(connection, kind.liquibaseName())) {
                    ApiLockSchema.migrate(dataSource);
                }
            } finally {
                if (keepsConnection()) {
                    keeper = connection;
                } else {
                    closeQuietly(connection);
                }
            }
            factory = CliPersistence.await(starting);
        }
        return factory;
    }

    /** Applies the changelog, whatever state the schema is in, and reports the result. */
    SchemaCheck.Version migrate() {
        SimpleDataSource dataSource = dataSource();
        closeQuietly(connect(dataSource));
        ApiLockSchema.migrate(dataSource);
        return SchemaCheck.version(dataSource);
    }

    /**
     * From now on the command holds no connection of its own between operations, so that an
     * embedded database it happens to serve passes to whichever process uses it next: {@code run}
     * lets go while it waits between attempts, and takes a connection again ({@link #resume()})
     * once it holds the lock, for as long as its command runs.
     */
    synchronized void idle() {
        if (keeper != null) {
            closeQuietly(keeper);
            keeper = null;
        }
    }

    /** After {@link #idle()}: keeps a connection again for what is left to do (the command, release, hand-over). */
    synchronized void resume() {
        if (keeper == null && factory != null && keepsConnection()) {
            try {
                keeper = dataSource().getConnection();
            } catch (SQLException e) {
                // the release that follows opens its own connection and reports what it meets
            }
        }
    }

    /** While {@code condition} holds, no new connection is opened: the command is being stopped. */
    void refuseConnectionsWhen(BooleanSupplier condition) {
        this.refuseConnections = condition;
    }

    /** An H2 database in this process (file or memory), as opposed to a server reached over the network. */
    private boolean keepsConnection() {
        String lower = url.toLowerCase(Locale.ROOT);
        return kind == DatabaseKind.H2 && !lower.startsWith("jdbc:h2:tcp:") && !lower.startsWith("jdbc:h2:ssl:");
    }

    private SimpleDataSource dataSource() {
        return new SimpleDataSource(url, user, password, () -> refuseConnections.getAsBoolean());
    }

    private Connection connect(SimpleDataSource dataSource) {
        try {
            Connection connection = dataSource.getConnection();
            connection.isValid(5);
            return connection;
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("Cannot connect to " + safeUrl()
                    + (user == null ? "" : " as " + user) + ": " + Redaction.text(e.getMessage(), password), e);
        }
    }

    @Override
    public synchronized void close() {
        if (factory == null) {
            idle();
            return;
        }
        factory.close();
        factory = null;
        if (url.toLowerCase(Locale.ROOT).contains("auto_server=true")) {
            if (keeper == null) {
                try {
                    keeper = dataSource().getConnection();
                } catch (SQLException e) {
                    return; // cannot tell whether others are still at work here: leave as before
                }
            }
            H2Handover.drain(keeper);
        }
        idle();
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing was pending on it
        }
    }

    /** The database cannot be reached or refuses the credentials. */
    static final class DatabaseUnavailableException extends ApiLockException {

        private static final long serialVersionUID = 1L;

        DatabaseUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

package dev.apilock.cli;

import dev.apilock.ApiLockException;
import dev.apilock.ApiLockPersistence;
import dev.apilock.ApiLockSchema;
import dev.apilock.ApiLockSetupException;
import jakarta.persistence.EntityManagerFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * The database the command line works on, opened only when a command first needs it: input is
 * validated before anything connects, let alone writes. Opening checks the connection, applies
 * the changelog if the schema is missing, and builds the apilock persistence unit.
 */
final class CliDatabase implements AutoCloseable {

    /** The embedded default: a file database under the working directory, shared through H2's auto-server mode. */
    static final String EMBEDDED_DIRECTORY = ".apilock";

    private final String url;
    private final String user;
    private final String password;
    private final boolean embedded;
    private EntityManagerFactory factory;
    private BooleanSupplier refuseConnections = () -> false;

    CliDatabase(ConnectionOptions options) {
        this.embedded = options.url == null || options.url.isBlank();
        this.url = embedded ? embeddedUrl() : options.url.strip();
        this.user = options.user != null ? options.user : embedded ? "sa" : null;
        this.password = options.password != null ? options.password : embedded ? "" : null;
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:postgresql:") && !lower.startsWith("jdbc:mariadb:") && !lower.startsWith("jdbc:h2:")) {
            throw new ApiLockSetupException("Unsupported database URL '" + Redaction.url(Output.printable(url))
                    + "': apilock supports jdbc:postgresql:, jdbc:mariadb: and jdbc:h2: URLs");
        }
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

    String password() {
        return password;
    }

    /** A factory that opens the database on its first use; closing it before then does nothing. */
    EntityManagerFactory entityManagerFactory() {
        return (EntityManagerFactory) Proxy.newProxyInstance(EntityManagerFactory.class.getClassLoader(),
                new Class<?>[] {EntityManagerFactory.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close" -> {
                            close();
                            return null;
                        }
                        case "isOpen" -> {
                            return true;
                        }
                        case "toString" -> {
                            return "apilock database " + safeUrl();
                        }
                        default -> {
                            try {
                                return method.invoke(open(), args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                });
    }

    /** Connects, migrates a missing schema and builds the persistence unit, once. */
    synchronized EntityManagerFactory open() {
        if (factory == null) {
            SimpleDataSource dataSource = dataSource();
            checkReachable(dataSource);
            if (!SchemaCheck.isReady(dataSource)) {
                ApiLockSchema.migrate(dataSource);
            }
            factory = ApiLockPersistence.createEntityManagerFactory(dataSource);
        }
        return factory;
    }

    /** Applies the changelog, whatever state the schema is in, and reports the result. */
    SchemaCheck.Version migrate() {
        SimpleDataSource dataSource = dataSource();
        checkReachable(dataSource);
        ApiLockSchema.migrate(dataSource);
        return SchemaCheck.version(dataSource);
    }

    /** While {@code condition} holds, no new connection is opened: the command is being stopped. */
    void refuseConnectionsWhen(BooleanSupplier condition) {
        this.refuseConnections = condition;
    }

    private SimpleDataSource dataSource() {
        return new SimpleDataSource(url, user, password, () -> refuseConnections.getAsBoolean());
    }

    private void checkReachable(SimpleDataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            connection.isValid(5);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("Cannot connect to " + safeUrl()
                    + (user == null ? "" : " as " + user) + ": " + Redaction.text(e.getMessage(), password), e);
        }
    }

    @Override
    public synchronized void close() {
        if (factory != null) {
            factory.close();
            factory = null;
            if (url.toLowerCase(Locale.ROOT).contains("auto_server=true")) {
                H2Handover.drain(dataSource());
            }
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

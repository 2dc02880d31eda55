package dev.apilock.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import javax.sql.DataSource;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Spring Integration's {@link JdbcLockRegistry} on its {@link DefaultLockRepository} and the
 * {@code INT_LOCK} table from its own schema script. Acquire = a REQUIRES_NEW, READ COMMITTED
 * transaction of UPDATE then INSERT; release = DELETE. No history, no fencing token. Each
 * application instance is a registry and repository of its own (its own client id), so that
 * contention goes through the database and not through the registry's in-process lock.
 */
final class SpringLockContender implements Contender {

    private static final Duration TTL = Duration.ofSeconds(60);

    /** Other lock keys, their locks long expired. From {@code g} numbers. */
    private static final String HISTORY = """
            INSERT INTO INT_LOCK (LOCK_KEY, REGION, CLIENT_ID, CREATED_DATE, EXPIRED_AFTER)
            SELECT LPAD(CONCAT('', g), 36, '0'), 'DEFAULT', 'history', TIMESTAMP '2020-01-01 00:00:00',
                   TIMESTAMP '2020-01-01 00:01:00'
              FROM %s""";

    private final BenchDatabase database;
    private final DataSource pool;

    SpringLockContender(BenchDatabase database) throws SQLException {
        this.database = database;
        this.pool = database.pool("spring-integration");
        database.execute(intLockTable(database.pick("postgresql", "mysql", "h2")));
    }

    /** The CREATE TABLE INT_LOCK statement of Spring Integration's schema script for the database. */
    private static String intLockTable(String platform) {
        String script = "org/springframework/integration/jdbc/schema-" + platform + ".sql";
        try (InputStream in = JdbcLockRegistry.class.getClassLoader().getResourceAsStream(script)) {
            if (in == null) {
                throw new IllegalStateException("Spring Integration's " + script + " is not on the class path");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(text.split(";"))
                    .map(String::trim)
                    .filter(statement -> statement.contains("CREATE TABLE INT_LOCK"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no INT_LOCK table in " + script));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String name() {
        return "Spring Integration";
    }

    @Override
    public String table() {
        // MariaDB's table names are case-sensitive on Linux; PostgreSQL folds unquoted ones to lower case
        return database.isMariaDb() ? "INT_LOCK" : "int_lock";
    }

    @Override
    public DataSource pool() {
        return pool;
    }

    @Override
    public LockClient client(int instance) {
        DefaultLockRepository repository = new DefaultLockRepository(pool, UUID.randomUUID().toString());
        repository.setTransactionManager(new DataSourceTransactionManager(pool));
        repository.afterPropertiesSet();
        repository.afterSingletonsInstantiated();
        JdbcLockRegistry registry = new JdbcLockRegistry(repository, TTL);
        return (type, inLock) -> {
            Lock lock = registry.obtain(type);
            if (!lock.tryLock()) {
                return false;
            }
            try {
                inLock.run();
            } finally {
                lock.unlock();
            }
            return true;
        };
    }

    @Override
    public void loadHistory(Connection connection, long from, long to, String type, boolean sameType)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(HISTORY.formatted(database.numbers(from, to)));
        }
    }

    @Override
    public void clearHistory(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM INT_LOCK WHERE CLIENT_ID LIKE 'history%'");
        }
    }

    @Override
    public void close() {
        // the pool closes with the database
    }
}

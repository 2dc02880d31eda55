package dev.apilock.bench;

import dev.apilock.ApiLockAcquireException;
import dev.apilock.ApiLockPersistence;
import dev.apilock.ApiLockSchema;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * apilock as a user runs it: schema by its Liquibase changelog, the standalone Hibernate
 * factory, one {@link LockTemplate} per application instance. Every cycle writes a history row
 * and updates the type's holder row.
 */
final class ApiLockContender implements Contender {

    private static final Duration EXPIRY = Duration.ofSeconds(60);

    private final ApiLockHistory history;
    private final DataSource pool;
    private final EntityManagerFactory factory;
    private final Map<String, LockType> types = new ConcurrentHashMap<>();

    ApiLockContender(BenchDatabase database) {
        this.history = new ApiLockHistory(database);
        this.pool = database.pool("apilock");
        ApiLockSchema.migrate(pool);
        this.factory = ApiLockPersistence.createEntityManagerFactory(pool);
    }

    @Override
    public String name() {
        return "apilock";
    }

    @Override
    public String table() {
        return "api_locks";
    }

    @Override
    public List<String> tables() {
        return List.of("api_locks", "api_lock_holders");
    }

    @Override
    public DataSource pool() {
        return pool;
    }

    @Override
    public boolean keepsHistory() {
        return true;
    }

    @Override
    public LockClient client(int instance) {
        LockTemplate template = new LockTemplate(factory);
        String user = "instance-" + instance;
        return (typeName, inLock) -> {
            LockType type = types.computeIfAbsent(typeName, name -> LockType.of(name, EXPIRY));
            try {
                return template.execute(type, "bench", user, lock -> {
                    inLock.run();
                    return Boolean.TRUE;
                });
            } catch (ApiLockAcquireException refused) {
                return false;
            }
        };
    }

    @Override
    public void loadHistory(Connection connection, long from, long to, String type, boolean sameType)
            throws SQLException {
        history.load(connection, from, to, type, sameType);
    }

    @Override
    public void checkHistory(Connection connection, String type) throws SQLException {
        history.check(connection, type);
    }

    @Override
    public void clearHistory(Connection connection) throws SQLException {
        history.clear(connection);
    }

    @Override
    public void close() {
        factory.close();
    }
}

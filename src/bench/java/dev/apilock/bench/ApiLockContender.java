package dev.apilock.bench;

import dev.apilock.ApiLockAcquireException;
import dev.apilock.ApiLockPersistence;
import dev.apilock.ApiLockSchema;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * apilock as a user runs it: schema by its Liquibase changelog, the standalone Hibernate
 * factory, one {@link LockTemplate} per application instance. Every cycle writes a history row.
 */
final class ApiLockContender implements Contender {

    /** Past acquisitions of other types spread over this many type names. */
    static final int OTHER_TYPES = 10_000;

    private static final Duration EXPIRY = Duration.ofSeconds(60);

    /** Rows of {@code api_locks} as apilock leaves them: released, with a token, H2's active_type NULL. */
    private static final String HISTORY_POSTGRES = """
            INSERT INTO api_locks (id, lock_type, acquired_at, expires, expires_at, released, released_at,
                                   release_reason, locked_by, reference_id, fencing_token)
            SELECT lpad(g::text, 26, '0'), %s, t, 60, t + INTERVAL '60 seconds', TRUE, t + INTERVAL '50 milliseconds',
                   'RELEASED', 'history', 'history-' || g, nextval('api_locks_fencing_seq')
              FROM generate_series(?::bigint, ?::bigint) g,
                   LATERAL (SELECT TIMESTAMPTZ '2020-01-01 00:00:00+00' + g * INTERVAL '100 milliseconds' AS t) at""";

    private static final String HISTORY_H2 = """
            INSERT INTO api_locks (id, lock_type, active_type, acquired_at, expires, expires_at, released, released_at,
                                   release_reason, locked_by, reference_id, fencing_token)
            SELECT LPAD(CAST(X AS VARCHAR), 26, '0'), %s, NULL,
                   DATEADD(MILLISECOND, X * 100, TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00+00'), 60,
                   DATEADD(MILLISECOND, X * 100 + 60000, TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00+00'), TRUE,
                   DATEADD(MILLISECOND, X * 100 + 50, TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00+00'),
                   'RELEASED', 'history', 'history-' || CAST(X AS VARCHAR), NEXT VALUE FOR api_locks_fencing_seq
              FROM SYSTEM_RANGE(?, ?)""";

    private final BenchDatabase database;
    private final EntityManagerFactory factory;
    private final Map<String, LockType> types = new ConcurrentHashMap<>();

    ApiLockContender(BenchDatabase database) {
        this.database = database;
        DataSource pool = database.pool("apilock");
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
        String typeColumn = database.isPostgres()
                ? (sameType ? "?" : "'history-' || (g % " + OTHER_TYPES + ")")
                : (sameType ? "?" : "'history-' || CAST(MOD(X, " + OTHER_TYPES + ") AS VARCHAR)");
        String sql = (database.isPostgres() ? HISTORY_POSTGRES : HISTORY_H2).formatted(typeColumn);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            if (sameType) {
                statement.setString(index++, type);
            }
            statement.setLong(index++, from);
            statement.setLong(index, to);
            statement.executeUpdate();
        }
    }

    @Override
    public void clearHistory(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE TABLE api_locks");
        }
    }

    @Override
    public void close() {
        factory.close();
    }
}

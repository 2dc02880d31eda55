package com.example.configdocs;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh schema on the test PostgreSQL server for one application start, dropped when it
 * stops; the application's datasource points at it through {@code currentSchema}.
 */
public class PostgresSchema implements QuarkusTestResourceLifecycleManager {

    private String schema;

    @Override
    public Map<String, String> start() {
        String name = "configdocs_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        execute("CREATE SCHEMA " + name);
        schema = name;
        String url = PostgresServer.URL + (PostgresServer.URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return Map.of(
                "quarkus.datasource.jdbc.url", url,
                "quarkus.datasource.username", PostgresServer.USER,
                "quarkus.datasource.password", PostgresServer.PASSWORD);
    }

    @Override
    public void stop() {
        if (schema != null) {
            execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static void execute(String sql) {
        try (Connection connection = PostgresServer.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + PostgresServer.URL + ": " + sql + " failed: "
                    + e.getMessage(), e);
        }
    }
}

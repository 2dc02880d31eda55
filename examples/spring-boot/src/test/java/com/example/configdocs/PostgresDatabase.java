package com.example.configdocs;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfiguration;

/**
 * Runs a test class's application on a fresh PostgreSQL schema, dropped when the test's
 * application context closes. The server is {@code APILOCK_TEST_POSTGRES_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}) as {@code APILOCK_TEST_POSTGRES_USER}
 * (default {@code postgres}) with {@code APILOCK_TEST_POSTGRES_PASSWORD}. If it is unreachable
 * the class is skipped with a notice, or fails when {@code APILOCK_TEST_REQUIRE} names
 * {@code postgresql}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PostgresDatabase.ServerCheck.class)
@ContextConfiguration(initializers = PostgresDatabase.FreshSchema.class)
public @interface PostgresDatabase {

    final class Server {

        static final String URL = env("APILOCK_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        static final String USER = env("APILOCK_TEST_POSTGRES_USER", "postgres");
        static final String PASSWORD = env("APILOCK_TEST_POSTGRES_PASSWORD", "");

        private Server() {
        }

        static String urlOf(String schema) {
            return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        }

        static void execute(String sql) throws SQLException {
            try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
                 Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }

        private static String env(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : value;
        }
    }

    final class ServerCheck implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            try {
                Server.execute("SELECT 1");
                return ConditionEvaluationResult.enabled("PostgreSQL is reachable");
            } catch (SQLException e) {
                String problem = "PostgreSQL at " + Server.URL + " is unreachable: " + e.getMessage();
                String required = System.getenv().getOrDefault("APILOCK_TEST_REQUIRE", "");
                if (required.toLowerCase(Locale.ROOT).contains("postgresql")) {
                    throw new IllegalStateException(problem + " (APILOCK_TEST_REQUIRE=" + required + ")", e);
                }
                System.err.println("NOTICE: skipping " + context.getDisplayName() + ": " + problem
                        + "; set APILOCK_TEST_REQUIRE=postgresql to fail instead");
                return ConditionEvaluationResult.disabled(problem);
            }
        }
    }

    final class FreshSchema implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            String schema = "configdocs_" + UUID.randomUUID().toString().substring(0, 8);
            try {
                Server.execute("CREATE SCHEMA " + schema);
            } catch (SQLException e) {
                throw new IllegalStateException("Could not create schema " + schema + ": " + e.getMessage(), e);
            }
            TestPropertyValues.of("spring.datasource.url=" + Server.urlOf(schema),
                    "spring.datasource.username=" + Server.USER,
                    "spring.datasource.password=" + Server.PASSWORD).applyTo(context);
            // Registered before every other bean, so destroyed after them: after the pools closed.
            ((DefaultSingletonBeanRegistry) context.getBeanFactory()).registerDisposableBean("dropSchema",
                    () -> Server.execute("DROP SCHEMA " + schema + " CASCADE"));
        }
    }
}

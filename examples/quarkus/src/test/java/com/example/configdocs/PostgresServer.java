package com.example.configdocs;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The PostgreSQL server the tests use: {@code 127.0.0.1:5432/test} as {@code postgres}, or
 * {@code APILOCK_TEST_POSTGRES_URL}, {@code _USER}, {@code _PASSWORD}. As a JUnit condition it
 * skips a test class with a notice when the server is unreachable, unless
 * {@code APILOCK_TEST_REQUIRE} contains {@code postgresql}: then the class runs and fails.
 */
public final class PostgresServer implements ExecutionCondition {

    static final String URL = env("APILOCK_TEST_POSTGRES_URL").orElse("jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = env("APILOCK_TEST_POSTGRES_USER").orElse("postgres");
    static final String PASSWORD = env("APILOCK_TEST_POSTGRES_PASSWORD").orElse("");

    static Connection connect() throws SQLException {
        DriverManager.setLoginTimeout(5);
        return DriverManager.getConnection(URL, USER, PASSWORD);
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        try (Connection ignored = connect()) {
            return ConditionEvaluationResult.enabled("PostgreSQL reachable at " + URL);
        } catch (SQLException e) {
            if (env("APILOCK_TEST_REQUIRE").orElse("").toLowerCase(Locale.ROOT).contains("postgresql")) {
                return ConditionEvaluationResult.enabled("PostgreSQL required by APILOCK_TEST_REQUIRE: the tests will fail");
            }
            String reason = "PostgreSQL unreachable at " + URL + " (" + e.getMessage() + "): skipped;"
                    + " set APILOCK_TEST_REQUIRE=postgresql to fail instead";
            System.err.println("NOTICE: " + context.getDisplayName() + ": " + reason);
            return ConditionEvaluationResult.disabled(reason);
        }
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
    }
}

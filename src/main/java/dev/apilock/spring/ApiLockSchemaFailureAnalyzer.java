package dev.apilock.spring;

import dev.apilock.ApiLockSchema;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Explains a start that failed because apilock's tables are missing, whether apilock's own check
 * found it or Hibernate's schema validation ({@code spring.jpa.hibernate.ddl-auto=validate}) did
 * first: the changelog include the master changelog lacks.
 */
final class ApiLockSchemaFailureAnalyzer implements FailureAnalyzer {

    static final String INCLUDE = "<include file=\"" + ApiLockSchema.CHANGELOG + "\"/>";

    @Override
    public @Nullable FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String missing = missingTables(cause);
            if (missing != null) {
                return analysis(missing, cause);
            }
        }
        return null;
    }

    private static FailureAnalysis analysis(String missing, Throwable cause) {
        return new FailureAnalysis(
                "apilock's tables are missing in the database: " + missing + ".",
                "Include apilock's Liquibase changelog in your master changelog, before your own change sets:\n\n"
                        + "    " + INCLUDE + "\n\n"
                        + "(it ships inside the apilock jar). Without Liquibase, create the tables with "
                        + "ApiLockSchema.migrate(dataSource) or the apilock command line's migrate.",
                cause);
    }

    private static @Nullable String missingTables(Throwable cause) {
        if (cause instanceof ApiLockTables.Missing tables) {
            return String.join(", ", tables.tables());
        }
        // Hibernate's "Schema-validation: missing table [api_locks]"
        String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (cause.getClass().getName().equals("org.hibernate.tool.schema.spi.SchemaManagementException")) {
            for (String table : ApiLockTables.TABLES) {
                if (message.contains("missing table [" + table + "]")) {
                    return table;
                }
            }
        }
        return null;
    }
}

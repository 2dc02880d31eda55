package dev.apilock;

import java.io.OutputStream;
import java.sql.Connection;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * The {@code api_locks} schema, owned by apilock's Liquibase changelog. An application that runs
 * Liquibase itself includes {@value #CHANGELOG} in its master changelog instead of calling
 * {@link #migrate}.
 */
public final class ApiLockSchema {

    /** Classpath location of the changelog, as a host's {@code <include file="..."/>} names it. */
    public static final String CHANGELOG = "dev/apilock/changelog/apilock.changelog.xml";

    private ApiLockSchema() {
    }

    /**
     * Applies the changelog: creates or upgrades the schema of the data source's default schema.
     * Safe to call from many instances at once (Liquibase takes its own lock) and at every start.
     *
     * @throws ApiLockException if the database cannot be reached or the migration fails
     */
    public static void migrate(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        try (Connection connection = dataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Scope.child(liquibaseScope(), () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                    .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, CHANGELOG)
                    // the update summary goes to the console unless told otherwise, past the UI service
                    .addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG)
                    .setOutput(OutputStream.nullOutputStream())
                    .execute());
        } catch (Exception e) {
            throw new ApiLockException("Could not migrate the apilock schema: " + e.getMessage(), e);
        }
    }

    /**
     * Liquibase as a quiet library: its messages and summary go to its log, never to standard
     * output, and it sends no usage analytics.
     */
    static Map<String, Object> liquibaseScope() {
        return Map.of(
                Scope.Attr.resourceAccessor.name(), new ClassLoaderResourceAccessor(ApiLockSchema.class.getClassLoader()),
                Scope.Attr.ui.name(), new LoggerUIService(),
                "liquibase.analytics.enabled", Boolean.FALSE);
    }
}

package dev.apilock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apilock.ApiLockSchema;
import dev.apilock.LockTable;
import dev.apilock.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The command line on PostgreSQL: a fresh schema from {@link TestDatabase}, reached with
 * {@code --url ...?currentSchema=...} given after the command name, as an operator would.
 */
class PostgresCliIT extends CliContract {

    private TestDatabase postgres;

    @Override
    Cli cli(Path directory) {
        postgres = TestDatabase.create(TestDatabase.Kind.POSTGRESQL, "cliit");
        table = new LockTable(postgres);
        List<String> connection = List.of("--url", postgres.url(), "--db-user", postgres.user());
        return new Cli(directory, connection, postgres.password().isEmpty() ? Map.of()
                : Map.of("APILOCK_DB_PASSWORD", postgres.password()));
    }

    @Override
    TestDatabase database() {
        return postgres;
    }

    @AfterAll
    void dropSchema() {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** The version as the changelog in the jar has it, whatever its change sets are called. */
    @Test
    void migratePrintsTheSchemaVersion() {
        List<SchemaCheck.ChangeSet> changelog = SchemaCheck.changeSets(ApiLockSchema.CHANGELOG).stream()
                .filter(changeSet -> changeSet.appliesTo("postgresql")).toList();

        Cli.Result result = cli.run("migrate");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("Schema of " + postgres.url() + " is up to date: " + changelog.size()
                        + " apilock change sets applied, the last " + changelog.get(changelog.size() - 1).id()
                        + " (applied ")
                .matches("(?s).*\\(applied \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)\\.\\n");
        assertThat(result.err()).as("Liquibase keeps quiet").isEmpty();
    }

    @Test
    void connectionOptionsMayStandBeforeTheCommandName() {
        Cli.Result result = cli.runExactly("--url", postgres.url(), "--db-user", postgres.user(), "status",
                "--type", type());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("No lock of type " + type() + " is held.\n");
    }

    @Test
    void refusedCredentialsAre69WithThePasswordHidden() {
        Cli.Result result = cli.runExactly("status", "--url", postgres.url() + "&password=s3cret-in-url",
                "--db-user", "no_such_role", "--db-password", "s3cret-option");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(69);
        assertOneCleanLine(result);
        assertThat(result.err()).contains("Cannot connect to " + postgres.url() + "&password=*** as no_such_role")
                .contains("no_such_role")
                .doesNotContain("s3cret");
    }
}

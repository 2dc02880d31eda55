package dev.apilock.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code apilock migrate}: apply the changelog. */
@Command(name = "migrate", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Create or upgrade the api_locks schema with apilock's Liquibase changelog and print the"
                + " schema version.",
                "Other commands do the same by themselves when the schema lacks change sets of this version"
                        + " (a new database, or an upgrade of apilock); run this to do it beforehand."})
final class MigrateCommand implements Callable<Integer> {

    @ParentCommand
    ApiLockCli top;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (CliDatabase database = top.database()) {
            SchemaCheck.Version version = database.migrate();
            spec.commandLine().getOut().println("Schema of " + database.safeUrl() + " is up to date: "
                    + version.changeSets() + " apilock change sets applied, the last " + version.lastId()
                    + " (applied " + Output.time(version.lastAppliedAt()) + ").");
            return ExitCode.OK;
        }
    }
}

package dev.apilock.cli;

import dev.apilock.LockAdmin;
import dev.apilock.LockArguments;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code apilock purge}: forget old history. */
@Command(name = "purge", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Delete history rows acquired longer ago than DURATION (by the database clock) that are"
                + " released or expired. A lock held now is never deleted, however old. Prints the count.")
final class PurgeCommand implements Callable<Integer> {

    @ParentCommand
    ApiLockCli top;

    @Spec
    CommandSpec spec;

    @Option(names = "--older-than", required = true, paramLabel = "DURATION",
            description = "Age of the rows to delete, e.g. 30d; from 1s to 36500d.")
    Duration olderThan;

    @Override
    public Integer call() {
        LockArguments.purgeAge(olderThan);
        try (CliDatabase database = top.database()) {
            int deleted = new LockAdmin(database.open()).purge(olderThan);
            spec.commandLine().getOut().println("Purged " + deleted + (deleted == 1 ? " lock row" : " lock rows")
                    + " released or expired and acquired more than " + DurationConverter.format(olderThan) + " ago.");
            return ExitCode.OK;
        }
    }
}

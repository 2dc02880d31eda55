package dev.apilock.cli;

import dev.apilock.LockAdmin;
import dev.apilock.LockArguments;
import dev.apilock.LockInfo;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code apilock history}: the audit trail. */
@Command(name = "history", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Show past and present acquisitions, newest first, with how and when each ended:"
                + " RELEASED by its holder, FORCED by an operator, EXPIRED and reclaimed; or still active,"
                + " or expired and not yet reclaimed.")
final class HistoryCommand implements Callable<Integer> {

    @ParentCommand
    ApiLockCli top;

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "Only this lock type.")
    String type;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20",
            description = "At most this many rows, from 1 to 100000. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--json", description = "JSON instead of a table: {\"databaseTime\": ..., \"locks\": [...]}.")
    boolean json;

    @Override
    public Integer call() {
        if (type != null) {
            LockArguments.typeName(type);
        }
        LockArguments.historyLimit(limit);
        try (CliDatabase database = top.database()) {
            LockAdmin admin = new LockAdmin(database.open());
            List<LockInfo> locks = type == null ? admin.history(limit) : admin.history(type, limit);
            Instant now = admin.databaseNow();
            spec.commandLine().getOut().print(json ? LockViews.jsonDocument(locks, now) : text(locks, now));
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
    }

    private String text(List<LockInfo> locks, Instant now) {
        if (locks.isEmpty()) {
            return type == null ? "No lock history.\n" : "No history for lock type " + Output.printable(type) + ".\n";
        }
        List<List<String>> rows = locks.stream().map(lock -> List.of(
                Output.time(lock.acquiredAt()), lock.lockType(), lock.user(), lock.referenceId(), lock.lockId(),
                Long.toString(lock.fencingToken()), LockViews.state(lock, now), Output.time(lock.releasedAt())))
                .toList();
        return Output.table(List.of("ACQUIRED", "TYPE", "USER", "REFERENCE", "LOCK ID", "TOKEN", "STATE", "RELEASED AT"),
                rows);
    }
}

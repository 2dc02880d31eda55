package dev.apilock.cli;

import dev.apilock.LockAdmin;
import dev.apilock.LockArguments;
import dev.apilock.LockInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code apilock status}: the locks held now. */
@Command(name = "status", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Show the locks held now: type, holder, reference, lock id, when acquired, time left"
                + " by the database clock, fencing token.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    ApiLockCli top;

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "Only this lock type.")
    String type;

    @Option(names = "--json", description = "JSON instead of a table: {\"databaseTime\": ..., \"locks\": [...]}.")
    boolean json;

    @Override
    public Integer call() {
        if (type != null) {
            LockArguments.typeName(type);
        }
        try (CliDatabase database = top.database()) {
            LockAdmin admin = new LockAdmin(database.open());
            List<LockInfo> locks = type == null ? admin.active() : admin.active(type).stream().toList();
            Instant now = admin.databaseNow();
            spec.commandLine().getOut().print(json ? LockViews.jsonDocument(locks, now) : text(locks, now));
            spec.commandLine().getOut().flush();
            return ExitCode.OK;
        }
    }

    private String text(List<LockInfo> locks, Instant now) {
        if (locks.isEmpty()) {
            return type == null ? "No locks are held.\n" : "No lock of type " + Output.printable(type) + " is held.\n";
        }
        List<List<String>> rows = locks.stream().map(lock -> List.of(
                lock.lockType(), lock.user(), lock.referenceId(), lock.lockId(), Output.time(lock.acquiredAt()),
                Output.duration(Duration.between(now, lock.expiresAt())), Long.toString(lock.fencingToken())))
                .toList();
        return Output.table(List.of("TYPE", "HOLDER", "REFERENCE", "LOCK ID", "ACQUIRED", "EXPIRES IN", "FENCING TOKEN"),
                rows);
    }
}

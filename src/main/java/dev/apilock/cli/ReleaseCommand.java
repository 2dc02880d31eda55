package dev.apilock.cli;

import dev.apilock.LockAdmin;
import dev.apilock.LockArguments;
import dev.apilock.LockInfo;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code apilock release}: an operator's release. */
@Command(name = "release", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {
                "Release a lock as an operator (reason FORCED), so that the next acquirer gets in at once."
                        + " It does not stop the holder: if it still runs, it keeps running without the lock.",
                "Either by id, or whatever lock of a type is held now (--type with --force). Prints what was"
                        + " released; releasing a lock that is no longer held does nothing and exits 0."})
final class ReleaseCommand implements Callable<Integer> {

    @ParentCommand
    ApiLockCli top;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "LOCK_ID", description = "The lock's id, as status shows it.")
    String lockId;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "Release the lock of this type held now.")
    String type;

    @Option(names = "--force", description = "Required with --type: release it whoever holds it.")
    boolean force;

    @Override
    public Integer call() {
        if ((lockId == null) == (type == null)) {
            throw new ParameterException(spec.commandLine(), "Give either a LOCK_ID or --type TYPE --force");
        }
        if (type != null && !force) {
            throw new ParameterException(spec.commandLine(), "release --type " + Output.printable(type)
                    + " releases whatever lock of that type is held, even if its holder is still running:"
                    + " add --force to confirm");
        }
        if (lockId != null) {
            LockArguments.lockId(lockId);
        } else {
            LockArguments.typeName(type);
        }
        try (CliDatabase database = top.database()) {
            LockAdmin admin = new LockAdmin(database.open());
            String line = lockId != null ? releaseById(admin) : releaseByType(admin);
            spec.commandLine().getOut().println(line);
            return ExitCode.OK;
        }
    }

    private String releaseById(LockAdmin admin) {
        Optional<LockInfo> released = admin.release(lockId);
        if (released.isPresent()) {
            return "Released " + LockViews.describe(released.get()) + "; reason FORCED.";
        }
        return admin.find(lockId)
                .map(lock -> Output.printable("Lock " + lock.lockId() + " of type " + lock.lockType()
                        + " was already released at " + Output.time(lock.releasedAt()) + " (" + lock.releaseReason()
                        + "); nothing to release."))
                .orElse(Output.printable("Lock " + lockId + " is gone; nothing to release."));
    }

    private String releaseByType(LockAdmin admin) {
        return admin.forceRelease(type)
                .map(lock -> "Released " + LockViews.describe(lock) + "; reason FORCED.")
                .orElse(Output.printable("No lock of type " + type + " is held; nothing to release."));
    }
}

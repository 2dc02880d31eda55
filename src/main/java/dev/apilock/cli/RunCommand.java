package dev.apilock.cli;

import com.github.f4b6a3.ulid.UlidCreator;
import dev.apilock.ApiLockAcquireException;
import dev.apilock.LockAdmin;
import dev.apilock.LockArguments;
import dev.apilock.LockInfo;
import dev.apilock.LockListener;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code apilock run}: a command under a lock, or not at all. */
@Command(name = "run", mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
                "Run COMMAND while holding the lock of TYPE, fleet-wide: like flock -n -E 75, across hosts."
                        + " If another process holds the lock, say who and exit 75 without running anything.",
                "COMMAND inherits stdin, stdout and stderr, and gets APILOCK_LOCK_ID, APILOCK_LOCK_TYPE and"
                        + " APILOCK_FENCING_TOKEN in its environment. The lock is released when it exits, and"
                        + " apilock exits with its exit code. SIGINT, SIGTERM and SIGHUP are passed on to it as"
                        + " SIGTERM; the lock is still released, and apilock exits with 128 + the signal.",
                "Options end at COMMAND, or at --: what follows belongs to COMMAND."})
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    ApiLockCli top;

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--type"}, required = true, paramLabel = "TYPE",
            description = "The lock type: ASCII letters, digits and _ - . : / (at most 128).")
    String type;

    @Option(names = {"-e", "--expires"}, defaultValue = "60s", paramLabel = "DURATION",
            description = "How long the lock holds if apilock dies without releasing it, from 1s to 30d."
                    + " Default: ${DEFAULT-VALUE}. Give a long-running COMMAND enough, or use --keep-alive.")
    Duration expires;

    @Option(names = {"-k", "--keep-alive"},
            description = "Extend the lock every third of --expires while COMMAND runs, so that COMMAND may run"
                    + " longer than --expires; if apilock dies, others still wait at most --expires.")
    boolean keepAlive;

    @Option(names = {"-u", "--user"}, paramLabel = "USER",
            description = "Who holds the lock, as shown to others. Default: the operating-system user.")
    String user;

    @Option(names = {"-r", "--reference"}, paramLabel = "REFERENCE",
            description = "A request or job id recorded with the lock. Default: a fresh id.")
    String reference;

    @Option(names = {"-w", "--wait"}, defaultValue = "0s", paramLabel = "DURATION",
            description = "Wait up to this long (at most 1d) for the lock instead of exiting 75 at once.")
    Duration wait;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments, after --.")
    List<String> command;

    @Override
    public Integer call() {
        LockType lockType = keepAlive ? LockType.of(type, expires).withKeepAlive() : LockType.of(type, expires);
        String holder = LockArguments.text("User", user != null ? user : defaultUser());
        String referenceId = LockArguments.text("Reference id",
                reference != null ? reference : UlidCreator.getMonotonicUlid().toString());
        LockArguments.maxWait(wait);
        ChildProcess child = new ChildProcess(command);
        child.armSignalForwarding();
        WaitProgress progress = null;
        try (CliDatabase database = top.database()) {
            database.refuseConnectionsWhen(child::stopRequestedWhileAcquiring);
            EntityManagerFactory factory = database.open();
            progress = showsProgress() ? new WaitProgress(spec.commandLine().getErr(), Terminal.columns(), wait,
                    new LockAdmin(factory)::databaseNow) : null;
            LockTemplate template = new LockTemplate(factory, whileWaiting(database, progress));
            int exitCode = template.execute(lockType, referenceId, holder, wait, lock -> {
                // The holder keeps an embedded database open while its command runs: served by one
                // process, it stays put for the waiters, which would otherwise pass it among themselves
                // at every attempt, and H2's file lock can take seconds to change hands.
                database.resume();
                return child.run(lock);
            });
            return child.signal() == 0 ? exitCode : 128 + child.signal();
        } catch (ApiLockAcquireException blocked) {
            if (progress != null) {
                progress.close();
            }
            spec.commandLine().getErr().println("apilock: " + blockedMessage(blocked));
            return ExitCode.BLOCKED;
        } catch (RuntimeException e) {
            if (child.stopRequestedWhileAcquiring()) {
                return 128 + child.signal(); // stopped before the lock was held
            }
            throw e;
        } finally {
            if (progress != null) {
                progress.close();
            }
            child.lockReleased();
        }
    }

    /** The wait is shown on a terminal only, and not with --verbose, whose log lines say the same. */
    private boolean showsProgress() {
        return !wait.isZero() && !top.connection.verbose && Terminal.stderrIsTerminal();
    }

    /**
     * Between attempts the command keeps no connection open (see {@link CliDatabase#idle()}); on a
     * terminal it shows the wait.
     */
    private static LockListener whileWaiting(CliDatabase database, WaitProgress progress) {
        LockListener idle = new LockListener() {
            @Override
            public void blocked(LockType type, Optional<LockInfo> holder) {
                database.idle();
            }
        };
        return progress == null ? idle : LockListener.composite(idle, progress);
    }

    private String blockedMessage(ApiLockAcquireException blocked) {
        String waited = wait.isZero() ? "" : " (gave up after waiting " + DurationConverter.format(wait) + ")";
        if (blocked.holder().isEmpty()) {
            return "lock " + type + " is held by another process" + waited;
        }
        LockInfo holder = blocked.holder().get();
        String line = "lock " + type + " is held by " + holder.user() + " for reference " + holder.referenceId()
                + " (lock " + holder.lockId() + ", fencing token " + holder.fencingToken() + ")"
                + blocked.timeLeft().map(left -> ", expires in " + Output.duration(left)).orElse("")
                + waited;
        return Output.printable(line);
    }

    private static String defaultUser() {
        String name = System.getProperty("user.name");
        return name == null || name.isBlank() ? "unknown" : name;
    }
}

package dev.apilock.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code apilock}: the command line's entry point and its top command. */
@Command(name = "apilock",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        usageHelpAutoWidth = true,
        description = {
                "Database-backed locks for a fleet of machines: flock -n across hosts, with history.",
                "Without --url, locks live in an embedded H2 database under ./.apilock/, shared by every"
                        + " process on this machine that runs in the same directory."},
        subcommands = {
                RunCommand.class,
                StatusCommand.class,
                HistoryCommand.class,
                ReleaseCommand.class,
                PurgeCommand.class,
                MigrateCommand.class,
                CommandLine.HelpCommand.class,
                AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                " 0:Success (run: the command's own exit code).",
                "64:Usage error: unknown command or option, malformed duration, invalid type, user, reference or id.",
                "69:The database is unreachable or refused the credentials.",
                "70:Internal error (rerun with --verbose).",
                "75:run: the lock is held by someone else (blocked, or --wait ran out).",
                "127:run: the command could not be started.",
                "128+n:run: apilock was stopped by signal n (or the command was killed by it)."})
public final class ApiLockCli implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code; output goes to this process's stdout and stderr. */
    static int execute(String... args) {
        ApiLockCli top = new ApiLockCli();
        CommandLine commandLine = commandLine(top);
        commandLine.setOut(utf8(FileDescriptor.out));
        commandLine.setErr(utf8(FileDescriptor.err));
        commandLine.setParameterExceptionHandler(new Failures.UsageHandler());
        commandLine.setExecutionExceptionHandler(new Failures.ExecutionHandler(() -> top.connection));
        commandLine.setExecutionStrategy(parseResult -> {
            CliLogging.configure(top.connection.verbose);
            return new CommandLine.RunLast().execute(parseResult);
        });
        return commandLine.execute(args);
    }

    /** The commands and their options, as parsed, documented and completed. */
    static CommandLine commandLine(ApiLockCli top) {
        CommandLine commandLine = new CommandLine(top);
        commandLine.registerConverter(Duration.class, new DurationConverter());
        commandLine.getSubcommands().get("run").setStopAtPositional(true);
        return commandLine;
    }

    private static PrintWriter utf8(FileDescriptor descriptor) {
        return new PrintWriter(new OutputStreamWriter(new FileOutputStream(descriptor), StandardCharsets.UTF_8), true);
    }

    /** {@code apilock} alone: the usage, as an error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    /** The database named by the connection options; nothing connects until the command opens it. */
    CliDatabase database() {
        return new CliDatabase(connection);
    }
}

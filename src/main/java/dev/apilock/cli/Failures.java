package dev.apilock.cli;

import dev.apilock.ApiLockAcquireException;
import dev.apilock.ApiLockSetupException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How failures reach the user: one line on stderr, {@code apilock: ...}, without passwords, and
 * an exit code that says what kind of failure it was. The stack trace only with {@code --verbose}.
 */
final class Failures {

    /** Longest message printed; a driver's message can be long. */
    private static final int MAX_LINE = 600;

    /** H2 error codes for a database that cannot be opened: in use, not found, remote refused. */
    private static final Set<Integer> H2_UNAVAILABLE = Set.of(90020, 90146, 90067, 90135);

    private Failures() {
    }

    /** Unknown commands and options, missing or malformed values: exit 64. */
    static final class UsageHandler implements IParameterExceptionHandler {

        @Override
        public int handleParseException(ParameterException e, String[] args) {
            CommandLine command = e.getCommandLine();
            String message = e.getMessage();
            if (e instanceof UnmatchedArgumentException unmatched && command.getParent() == null
                    && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
                message = "Unknown command '" + unmatched.getUnmatched().get(0) + "'; the commands are "
                        + String.join(", ", command.getSubcommands().entrySet().stream()
                                .filter(sub -> !sub.getValue().getCommandSpec().usageMessage().hidden())
                                .map(Map.Entry::getKey).toList());
            }
            command.getErr().println("apilock: " + oneLine(message, null)
                    + " (see 'apilock " + helpPath(command) + "--help')");
            return ExitCode.USAGE;
        }

        private static String helpPath(CommandLine command) {
            return command.getParent() == null ? "" : command.getCommandName() + " ";
        }
    }

    /** Failures while a command runs. */
    static final class ExecutionHandler implements IExecutionExceptionHandler {

        private final Supplier<ConnectionOptions> options;

        ExecutionHandler(Supplier<ConnectionOptions> options) {
            this.options = options;
        }

        @Override
        public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
            ConnectionOptions connection = options.get();
            int code = exitCode(e);
            String message = oneLine(e.getMessage() == null ? e.getClass().getName() : e.getMessage(),
                    connection.password);
            if (code == ExitCode.INTERNAL) {
                message = "internal error: " + message;
            }
            command.getErr().println("apilock: " + message
                    + (connection.verbose || code == ExitCode.USAGE ? "" : verboseHint(code)));
            if (connection.verbose) {
                e.printStackTrace(command.getErr());
            }
            return code;
        }

        private static String verboseHint(int code) {
            return code == ExitCode.INTERNAL ? " (rerun with --verbose for details)" : "";
        }
    }

    /** The exit code for a failure, from its type and the SQL states in its causes. */
    static int exitCode(Throwable e) {
        if (e instanceof ApiLockAcquireException) {
            return ExitCode.BLOCKED;
        }
        if (e instanceof ApiLockSetupException) {
            return ExitCode.USAGE;
        }
        if (e instanceof ChildProcess.CannotRunException) {
            return ExitCode.CANNOT_RUN;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CliDatabase.DatabaseUnavailableException || t instanceof ConnectException
                    || t instanceof UnknownHostException) {
                return ExitCode.UNAVAILABLE;
            }
            if (t instanceof SQLException sql && unavailable(sql)) {
                return ExitCode.UNAVAILABLE;
            }
        }
        return ExitCode.INTERNAL;
    }

    /** Connection failures (08), refused credentials (28), an unknown database (3D). */
    private static boolean unavailable(SQLException e) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("28") || state.startsWith("3D"))) {
            return true;
        }
        return e.getClass().getName().startsWith("org.h2.") && H2_UNAVAILABLE.contains(e.getErrorCode());
    }

    /** A message as one line, without passwords, not too long. */
    static String oneLine(String message, String password) {
        String line = Output.printable(Redaction.text(message.strip().replaceAll("\\s*\\R\\s*", " "), password));
        return line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE) + "...";
    }
}

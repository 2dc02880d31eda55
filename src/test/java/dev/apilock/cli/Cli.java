package dev.apilock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the real command line as a user does, through the launcher {@code target/apilock} beside
 * the cli jar, as a separate process, in a working directory of the test's choosing, with the
 * connection arguments of the database under test. The launcher finds this JVM's Java through
 * {@code JAVA_HOME}.
 */
final class Cli {

    static final Path JAR = Path.of(System.getProperty("apilock.cli.jar",
            "target/apilock-0.1.0-SNAPSHOT-cli.jar"));
    static final Path LAUNCHER = JAR.resolveSibling("apilock");
    static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));
    private static final long TIMEOUT_SECONDS = 180;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Path directory;
    private final List<String> connection;
    private final Map<String, String> environment;

    /**
     * @param directory  working directory of every process (and home of the embedded database)
     * @param connection arguments appended after the command's own, e.g. {@code --url ...}
     */
    Cli(Path directory, List<String> connection, Map<String, String> environment) {
        this.directory = directory;
        this.connection = List.copyOf(connection);
        this.environment = Map.copyOf(environment);
    }

    Path directory() {
        return directory;
    }

    /** Runs to the end: the command line's own arguments, then the connection's. */
    Result run(String... args) {
        return start(args).await();
    }

    /** Runs with exactly these arguments: no connection arguments added. */
    Result runExactly(String... args) {
        return launch(List.of(args)).await();
    }

    /** Starts in the background; connection arguments go right after the command name. */
    Running start(String... args) {
        List<String> all = new ArrayList<>();
        all.add(args[0]);
        all.addAll(connection);
        all.addAll(List.of(args).subList(1, args.length));
        return launch(all);
    }

    /**
     * Starts in the background on a pseudo-terminal of 200 columns (through util-linux
     * {@code script}), as from an interactive shell: stdout and stderr both go to the terminal,
     * whose output is {@link Running#outSoFar()}.
     */
    Running startOnTerminal(String... args) {
        List<String> all = new ArrayList<>();
        all.add(LAUNCHER.toAbsolutePath().toString());
        all.add(args[0]);
        all.addAll(connection);
        all.addAll(List.of(args).subList(1, args.length));
        String shell = "stty cols 200 rows 50; exec " + String.join(" ", all.stream().map(Cli::quoted).toList());
        return launch(List.of("script", "-q", "-e", "-c", shell, "/dev/null"), List.of(args));
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private Running launch(List<String> args) {
        assertThat(LAUNCHER).as("the launcher, built by mvn package").isExecutable();
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toAbsolutePath().toString()));
        command.addAll(args);
        return launch(command, args);
    }

    private Running launch(List<String> command, List<String> args) {
        int n = COUNTER.incrementAndGet();
        Path out = directory.resolve(".out-" + n);
        Path err = directory.resolve(".err-" + n);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("APILOCK_") || name.startsWith("JAVA_TOOL"));
        builder.environment().put("JAVA_HOME", JAVA_HOME.toString());
        builder.environment().putAll(environment);
        try {
            return new Running(builder.start(), args, out, err);
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + command, e);
        }
    }

    /** A command line process running in the background. */
    static final class Running {

        private final Process process;
        private final List<String> args;
        private final Path out;
        private final Path err;

        Running(Process process, List<String> args, Path out, Path err) {
            this.process = process;
            this.args = args;
            this.out = out;
            this.err = err;
        }

        Process process() {
            return process;
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** What it has written to stderr so far. */
        String errSoFar() {
            return read(err);
        }

        /** What it has written to stdout so far. */
        String outSoFar() {
            return read(out);
        }

        private static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        Result await() {
            try {
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("apilock " + args + " did not end within " + TIMEOUT_SECONDS + " s");
                }
                return new Result(args, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Sends a signal by name, e.g. {@code INT}, to the command line's JVM. */
        void signal(String name) {
            Files2.exec("kill", "-" + name, Long.toString(process.pid()));
        }
    }

    /** How a command line process ended. */
    record Result(List<String> args, int exitCode, String out, String err) {

        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "apilock " + args + " exited " + exitCode + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }
}

package dev.apilock.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LockChild} in a JVM of its own, on the test classpath, its output in files of the
 * work directory. Its report lines ({@code WORD key=value ...}) are read with {@link #awaitLine}.
 */
final class ChildJvm implements AutoCloseable {

    /** How a child's clock differs from everyone else's: its time zone and a shift of its wall clock. */
    record Skew(String timeZone, String fakeTimeOffset) {

        static final Skew NONE = new Skew(null, null);

        static Skew zone(String timeZone) {
            return new Skew(timeZone, null);
        }

        Skew shiftedBy(String offset) {
            return new Skew(timeZone, offset);
        }

        @Override
        public String toString() {
            return (timeZone == null ? "default zone" : timeZone)
                    + (fakeTimeOffset == null ? "" : ", clock " + fakeTimeOffset);
        }
    }

    /** Where Debian's libfaketime installs its preload library, if it is installed. */
    private static final List<Path> FAKETIME_LIBRARIES = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"),
            Path.of("/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"),
            Path.of("/usr/lib/faketime/libfaketime.so.1"));

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildJvm(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The preload library that shifts a process's wall clock, if libfaketime is installed. */
    static Optional<Path> fakeTimeLibrary() {
        return FAKETIME_LIBRARIES.stream().filter(Files::isReadable).findFirst();
    }

    static ChildJvm start(String name, Path workDir, Skew skew, Map<String, String> args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", testClassPath()));
        String julConfig = System.getProperty("java.util.logging.config.file");
        if (julConfig != null) {
            command.add("-Djava.util.logging.config.file=" + julConfig);
        }
        if (skew.timeZone() != null) {
            command.add("-Duser.timezone=" + skew.timeZone());
        }
        command.add(LockChild.class.getName());
        args.forEach((key, value) -> command.add(key + "=" + value));

        Path stdout = workDir.resolve(name + ".out");
        Path stderr = workDir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        if (skew.fakeTimeOffset() != null) {
            Path library = fakeTimeLibrary().orElseThrow(() -> new IllegalStateException("libfaketime is not installed"));
            Map<String, String> env = builder.environment();
            env.put("LD_PRELOAD", library.toString());
            env.put("FAKETIME", skew.fakeTimeOffset());
            // The JVM's timers, HikariCP and the lock's own backoff need the true monotonic clock; and
            // libfaketime's "fix" of monotonic condition waits makes every timed wait of the JVM
            // return at once or hang (a child then needs 30 s instead of 2 s to start).
            env.put("DONT_FAKE_MONOTONIC", "1");
            env.put("FAKETIME_FORCE_MONOTONIC_FIX", "0");
        }
        try {
            return new ChildJvm(name, builder.start(), stdout, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The test classpath. Surefire may start tests from a manifest-only jar, whose
     * {@code java.class.path} is that jar alone; it publishes the real one as
     * {@code surefire.test.class.path}.
     */
    static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /** Waits for the first report line starting with {@code word} and returns its {@code key=value} pairs. */
    Map<String, String> awaitLine(String word, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : lines()) {
                if (line.startsWith(word + " ") || line.equals(word)) {
                    return fields(line);
                }
                if (line.startsWith("FAILURE ")) {
                    throw new AssertionError(name + " failed: " + line + "\n" + stderrText());
                }
            }
            if (!process.isAlive() && lines().stream().noneMatch(l -> l.startsWith(word + " "))) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before reporting " + word
                        + "\n" + stdoutText() + stderrText());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not report " + word + " within " + timeout + "\n" + stderrText());
            }
            sleep(20);
        }
    }

    static Map<String, String> fields(String line) {
        Map<String, String> fields = new HashMap<>();
        for (String part : line.split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return fields;
    }

    /** Waits for a normal exit and returns the exit code. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still running after " + timeout + "\n" + stderrText());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** {@code kill -9}: the JVM gets no chance to release anything. */
    void killForcibly() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long pid() {
        return process.pid();
    }

    String name() {
        return name;
    }

    /** Complete report lines so far; a line still being written is left for the next look. */
    List<String> lines() {
        String text = read(stdout);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }

    String stdoutText() {
        return read(stdout);
    }

    String stderrText() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Never leaves a child behind, whatever the test did. */
    @Override
    public void close() {
        if (process.isAlive()) {
            killForcibly();
        }
    }
}

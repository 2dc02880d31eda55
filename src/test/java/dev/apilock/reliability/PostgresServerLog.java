package dev.apilock.reliability;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL server's log from a mark to its end: what the server said while a test ran.
 * The log is the server's, shared with everyone using it, so lines are attributed to backends by
 * the {@code [pid]} of the line prefix.
 */
final class PostgresServerLog {

    /** Where Debian's cluster {@code 15/main} logs; another with {@code APILOCK_TEST_POSTGRES_LOG}. */
    static final Path DEFAULT = Path.of("/var/log/postgresql/postgresql-15-main.log");

    private static final Pattern PID = Pattern.compile("\\[(\\d+)]");

    private final Path file;
    private final long start;

    private PostgresServerLog(Path file, long start) {
        this.file = file;
        this.start = start;
    }

    /** Marks the log's current end, or empty with the reason printed if it cannot be read. */
    static Optional<PostgresServerLog> mark() {
        String configured = System.getenv("APILOCK_TEST_POSTGRES_LOG");
        Path file = configured == null || configured.isBlank() ? DEFAULT : Path.of(configured);
        if (!Files.isReadable(file)) {
            System.err.println("NOTICE: the PostgreSQL server log " + file + " is not readable here: the check that"
                    + " lost races left no errors in it is SKIPPED.");
            return Optional.empty();
        }
        try {
            return Optional.of(new PostgresServerLog(file, Files.size(file)));
        } catch (IOException e) {
            System.err.println("NOTICE: cannot read " + file + " (" + e.getMessage() + "): server log check SKIPPED.");
            return Optional.empty();
        }
    }

    /** Every line written since the mark (all of it, if the log was rotated meanwhile). */
    List<String> linesSinceMark() {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long from = length < start ? 0 : start;
            byte[] bytes = new byte[Math.toIntExact(length - from)];
            in.seek(from);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new IllegalStateException("Could not read " + file, e);
        }
    }

    /** Lines since the mark that mention the one-active-lock index or a duplicate key, from anyone. */
    List<String> uniqueViolationsSinceMark() {
        return linesSinceMark().stream()
                .filter(line -> line.contains("duplicate key") || line.contains("ux_api_locks_one_active"))
                .toList();
    }

    /** Warning- and error-level lines since the mark written by the given backends. */
    List<String> errorsOf(Set<Integer> backendPids) {
        return linesSinceMark().stream()
                .filter(line -> line.contains("WARNING:") || line.contains("ERROR:") || line.contains("FATAL:")
                        || line.contains("PANIC:"))
                .filter(line -> {
                    Matcher pid = PID.matcher(line);
                    return pid.find() && backendPids.contains(Integer.parseInt(pid.group(1)));
                })
                .toList();
    }

    Path file() {
        return file;
    }
}

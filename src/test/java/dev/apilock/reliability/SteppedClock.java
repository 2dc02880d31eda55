package dev.apilock.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The wall clock of the processes started with {@link #environment()}, which the test steps
 * forward and backward while they run, as an NTP step on their host would: libfaketime preloaded,
 * reading its offset from a file on every call ({@code FAKETIME_NO_CACHE}). Their monotonic clock
 * stays the real one, as a step leaves it.
 */
final class SteppedClock implements AutoCloseable {

    private final Path library;
    private final Path directory;
    private final Path offsetFile;
    private Duration offset = Duration.ZERO;

    private SteppedClock(Path library, Path directory) {
        this.library = library;
        this.directory = directory;
        this.offsetFile = directory.resolve("faketime.rc");
    }

    /** Why a clock cannot be stepped here, or empty if it can. */
    static Optional<String> unavailableReason() {
        return ChildJvm.fakeTimeLibrary().isPresent() ? Optional.empty()
                : Optional.of("libfaketime is not installed (Debian package faketime)");
    }

    /** A clock at the true time, in a directory every user may read (the server runs as postgres). */
    static SteppedClock create() {
        try {
            Path directory = Files.createTempDirectory("apilock-clock-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            SteppedClock clock = new SteppedClock(ChildJvm.fakeTimeLibrary().orElseThrow(), directory);
            clock.write();
            return clock;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a process needs to run on this clock. */
    Map<String, String> environment() {
        return Map.of("LD_PRELOAD", library.toString(),
                "FAKETIME_TIMESTAMP_FILE", offsetFile.toString(),
                "FAKETIME_NO_CACHE", "1",
                "FAKETIME_DONT_FAKE_MONOTONIC", "1",
                "DONT_FAKE_MONOTONIC", "1");
    }

    /** Steps the clock by {@code step} (negative: backward), at once for every process on it. */
    void step(Duration step) {
        offset = offset.plus(step);
        write();
    }

    /** How far the clock is from the true time. */
    Duration offset() {
        return offset;
    }

    /** Replaces the file in one rename: a reader sees the old offset or the new one, never half a line. */
    private void write() {
        try {
            Path next = directory.resolve("faketime.rc.next");
            long seconds = offset.toSeconds();
            Files.writeString(next, (seconds < 0 ? "" : "+") + seconds + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(next, offsetFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        TempFiles.deleteQuietly(directory);
    }
}

package dev.apilock.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waiting for files that child processes write, and small shell helpers. */
final class Files2 {

    private Files2() {
    }

    /** Waits until {@code file} exists and is not empty; its content, stripped. */
    static String await(Path file, Duration timeout, Cli.Running whileRunning) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Files.exists(file) && Files.size(file) > 0) {
                    String content = Files.readString(file, StandardCharsets.UTF_8).strip();
                    if (!content.isEmpty()) {
                        return content;
                    }
                }
                if (whileRunning != null && !whileRunning.isAlive()) {
                    throw new AssertionError(file + " never appeared; the process ended: " + whileRunning.await());
                }
                Thread.sleep(50);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError(file + " did not appear within " + timeout);
    }

    static void touch(Path file) {
        try {
            Files.writeString(file, "go\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void exec(String... command) {
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.apilock.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the append-only log that {@link LockChild} processes write around their critical
 * sections ({@code ENTER|EXIT|OVERLAP pid thread token lockId}, one whole line per write), in
 * the order the kernel appended them, and judges it without trusting the lock.
 */
final class EventLog {

    /** What the log shows. */
    record Verdict(int enters, int exits, int overlaps, int tokenOrderViolations, int unmatchedExits,
                   List<String> problems, Map<String, Long> tokenByLockId) {
    }

    private EventLog() {
    }

    static Verdict judge(Path file) {
        List<String> lines;
        try {
            lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Long> inside = new HashMap<>();
        Map<String, Long> tokenByLockId = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        int enters = 0;
        int exits = 0;
        int overlaps = 0;
        int tokenOrderViolations = 0;
        int unmatchedExits = 0;
        long lastToken = Long.MIN_VALUE;
        for (String line : lines) {
            String[] parts = line.split(" ");
            if (parts.length != 5) {
                problems.add("malformed line: " + line);
                continue;
            }
            long token = Long.parseLong(parts[3]);
            String lockId = parts[4];
            switch (parts[0]) {
                case "ENTER" -> {
                    enters++;
                    if (!inside.isEmpty()) {
                        overlaps++;
                        problems.add("entered while " + inside.keySet() + " inside: " + line);
                    }
                    if (token <= lastToken) {
                        tokenOrderViolations++;
                        problems.add("token " + token + " entered after token " + lastToken + ": " + line);
                    }
                    lastToken = Math.max(lastToken, token);
                    inside.put(lockId, token);
                    if (tokenByLockId.put(lockId, token) != null) {
                        problems.add("lock id entered twice: " + line);
                    }
                }
                case "EXIT" -> {
                    exits++;
                    if (inside.remove(lockId) == null) {
                        unmatchedExits++;
                        problems.add("exit without entry: " + line);
                    }
                }
                case "OVERLAP" -> {
                    overlaps++;
                    problems.add("file lock held by another holder: " + line);
                }
                default -> problems.add("unknown event: " + line);
            }
        }
        if (!inside.isEmpty()) {
            problems.add("never exited: " + inside.keySet());
        }
        return new Verdict(enters, exits, overlaps, tokenOrderViolations, unmatchedExits,
                problems, tokenByLockId);
    }
}

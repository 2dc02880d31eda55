package dev.apilock.store;

import java.time.Duration;

/**
 * When a lock operation must have returned, on the monotonic clock: what apilock waits for the
 * database at most, however silently the network drops its packets. Immutable.
 *
 * @param bound    the operation's bound, for messages
 * @param endNanos {@link System#nanoTime()} at which it runs out
 */
public record Deadline(Duration bound, long endNanos) {

    /** Longest bound: longer waits are a hang in all but name. */
    public static final Duration MAX = Duration.ofMinutes(10);

    /** A deadline {@code bound} from now. */
    public static Deadline after(Duration bound) {
        return new Deadline(bound, System.nanoTime() + bound.toNanos());
    }

    /** Milliseconds left, at least 1 while any time is left, 0 once it has run out. */
    public long remainingMillis() {
        long nanos = endNanos - System.nanoTime();
        return nanos <= 0 ? 0 : Math.max(1, nanos / 1_000_000);
    }

    public boolean passed() {
        return endNanos - System.nanoTime() <= 0;
    }
}

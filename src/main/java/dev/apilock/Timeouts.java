package dev.apilock;

import dev.apilock.store.Deadline;
import java.time.Duration;

/**
 * How long a lock operation waits for the database at most: a silently dropped network must fail
 * it, not hang it. By default a third of the lock's expiry, between 1 and 30 seconds, so that a
 * keep-alive that gets no answer learns it well before the lock would expire; a template can be
 * given one bound for all its operations instead.
 */
final class Timeouts {

    private static final Duration SHORTEST = Duration.ofSeconds(1);
    private static final Duration LONGEST = Duration.ofSeconds(30);

    private Timeouts() {
    }

    /** The bound of an acquisition, release or extension of {@code type}. */
    static Duration forLock(LockType type, Duration configured) {
        if (configured != null) {
            return configured;
        }
        Duration third = type.expiresAfter().dividedBy(3);
        return third.compareTo(SHORTEST) < 0 ? SHORTEST : third.compareTo(LONGEST) > 0 ? LONGEST : third;
    }

    /**
     * The bound of a keep-alive's extension: never more than a third of the expiry, so that a tick
     * that gets no answer marks the lock lost before the lease it extends has run out.
     */
    static Duration forKeepAlive(LockType type, Duration configured) {
        Duration bound = forLock(type, configured);
        Duration third = type.expiresAfter().dividedBy(3);
        return bound.compareTo(third) > 0 && !third.isZero() ? third : bound;
    }

    static Duration require(Duration timeout) {
        if (timeout == null) {
            throw new ApiLockSetupException("Operation timeout must not be null");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Deadline.MAX) > 0) {
            throw new ApiLockSetupException("Operation timeout must be more than zero and at most " + Deadline.MAX
                    + ", was " + timeout);
        }
        return timeout;
    }
}

package dev.apilock.store;

import dev.apilock.LockInfo;
import java.time.Duration;
import java.time.Instant;

/**
 * What an acquisition attempt found.
 *
 * @param acquired    whether the caller now holds the lock
 * @param holder      the holder after the attempt: the caller's own lock when acquired, the
 *                    blocking one otherwise, or null if nobody held it by the time it was read
 * @param databaseNow the database clock during the attempt; null when there is no holder
 * @param reclaimed   the history row of an expired, unreleased holder that this attempt took over,
 *                    as marked {@code EXPIRED}, or null
 */
public record AcquireAttempt(boolean acquired, LockInfo holder, Instant databaseNow, LockInfo reclaimed) {

    /** The holder's time left by the database clock, or null without a holder. */
    public Duration holderTimeLeft() {
        return holder == null ? null : Duration.between(databaseNow, holder.expiresAt());
    }
}

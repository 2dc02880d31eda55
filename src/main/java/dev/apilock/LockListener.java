package dev.apilock;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Hears what happens to locks taken through a {@link LockTemplate}: for metrics, audit logs or
 * alerts. Every method has a no-op default; implement those you need.
 *
 * <p>Called synchronously on the thread doing the lock operation (the keep-alive thread for
 * {@link #extended} and keep-alive {@link #lost}), so keep it quick. An exception thrown by a
 * listener is logged and otherwise ignored: it never changes the lock's outcome.
 */
public interface LockListener {

    /** Hears nothing. */
    LockListener NONE = new LockListener() {
    };

    /**
     * A lock was acquired.
     *
     * @param waited time from the call to {@code execute} until acquired, retries included
     */
    default void acquired(LockHandle lock, Duration waited) {
    }

    /** One attempt was refused because {@code holder} (if still known) holds the type. */
    default void blocked(LockType type, Optional<LockInfo> holder) {
    }

    /**
     * An acquisition found an unreleased lock past its expiry, its holder presumably dead, and
     * reclaimed it.
     *
     * @param expired the abandoned row, as marked: released, reason {@code EXPIRED}
     */
    default void expiredAndReclaimed(LockType type, LockInfo expired) {
    }

    /** A lock was released by its holder. */
    default void released(LockHandle lock, Duration heldFor) {
    }

    /** Releasing failed; the lock expires by itself at {@code lock.expiresAt()}. */
    default void releaseFailed(LockHandle lock, Exception cause) {
    }

    /** A lock's expiry was pushed forward, by {@link LockHandle#extend} or the keep-alive. */
    default void extended(LockHandle lock, Instant expiresAt) {
    }

    /**
     * The holder learned it no longer holds the lock: an extension found it expired or taken
     * over, or failed, or the release found the row already reclaimed or force-released.
     */
    default void lost(LockHandle lock, String reason) {
    }

    /**
     * A listener that passes every event to each of {@code listeners}, in order; one that throws
     * is logged and does not keep the event from the others.
     */
    static LockListener composite(LockListener... listeners) {
        return new CompositeLockListener(List.of(listeners));
    }
}

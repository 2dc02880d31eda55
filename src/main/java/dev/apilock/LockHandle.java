package dev.apilock;

import java.time.Instant;

/**
 * A lock held by the current caller, passed to a {@link LockCallback}. Valid only while the
 * callback runs.
 */
public interface LockHandle {

    /** The acquisition's ULID, the {@code id} of its row. */
    String lockId();

    /**
     * A number strictly larger than that of every earlier holder. Pass it to the resource you
     * protect so it can refuse writes from a holder whose lock expired meanwhile.
     */
    long fencingToken();

    /** When the lock expires by the database clock unless released sooner. */
    Instant expiresAt();

    LockType type();
}

package dev.apilock;

import java.time.Duration;
import java.time.Instant;

/**
 * A lock held by the current caller, passed to a {@link LockCallback}. Valid while the callback
 * runs; its methods are thread-safe, so work the callback hands to other threads may check it.
 */
public interface LockHandle {

    /** The acquisition's ULID, the {@code id} of its row. */
    String lockId();

    /**
     * A number strictly larger than that of every earlier holder. Pass it to the resource you
     * protect so it can refuse writes from a holder whose lock expired meanwhile.
     */
    long fencingToken();

    /** When the lock expires by the database clock unless released sooner; moves with extensions. */
    Instant expiresAt();

    LockType type();

    /**
     * Pushes the expiry to {@code expiresAfter} from now by the database clock (never earlier than
     * it is), but only while this caller still holds the lock. Returns false, and marks the handle
     * lost, if the lock has already expired, been taken over or been force-released: a lost lock
     * is never revived.
     *
     * @param expiresAfter whole seconds, from 1 second to {@link LockType#MAX_EXPIRY}
     * @throws ApiLockSetupException a bad duration; nothing is written
     * @throws ApiLockException      the database failed; the handle is then marked lost too
     */
    boolean extend(Duration expiresAfter);

    /**
     * Whether this caller may still rely on the lock: false once the lock is known lost (an
     * extension or release found it gone, or an extension failed), after release, and once the
     * lease has run out as measured from just before the acquisition (or last extension) was
     * sent, on the monotonic clock. The database stays the authority; this answer errs on the safe
     * side and never claims a lock the database may already have handed on.
     */
    boolean isHeld();

    /**
     * Throws {@link ApiLockLostException} unless {@link #isHeld()}: call it before each step that
     * must not run without the lock.
     */
    void checkHeld();
}

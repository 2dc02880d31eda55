package dev.apilock;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A lock held by the current caller, passed to a {@link LockCallback}. Valid while the callback
 * runs; its methods are thread-safe, so work the callback hands to other threads may check it.
 */
public interface LockHandle {

    /** The acquisition's ULID, the {@code id} of its row. */
    String lockId();

    /**
     * A number strictly larger than that of every earlier holder of this lock type, whatever
     * process it ran in, across crashes and restarts of the database, as long as the database
     * keeps what it acknowledged: a failover to a standby that had not received the last commits
     * (asynchronous replication) can hand a token out again. Pass it to the resource you protect
     * so it can refuse writes from a holder whose lock expired meanwhile. Tokens of different
     * types are unrelated.
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
     * side and never claims a lock the database may already have handed on, provided the
     * database's clock runs at the real rate and the database keeps what it acknowledged. A step of
     * the database clock past the expiry, or a failover that loses the acquisition, lets another
     * holder in while this still answers true, until the lease runs out here.
     */
    boolean isHeld();

    /**
     * Throws {@link ApiLockLostException} unless {@link #isHeld()}: call it before each step that
     * must not run without the lock.
     */
    void checkHeld();

    /**
     * Whether this lock covers the caller's transaction: {@code execute} was called inside a
     * transaction apilock can see (JTA, or Spring-managed), and the lock is released only once that
     * transaction has committed or rolled back, so the callback's writes are committed before anyone
     * else may take the lock. Keep-alive goes on until then. If that transaction can only roll back
     * when the callback returns, the lock is released at once: its writes will never commit.
     */
    default boolean coversCallerTransaction() {
        return false;
    }

    /** When the lock was released by its holder: empty while it is held (or if its release failed). */
    default Optional<ReleasedWhen> releasedWhen() {
        return Optional.empty();
    }

    /** When a lock was released by its holder. */
    enum ReleasedWhen {
        /** As the callback returned or threw: no transaction of the caller's was to be waited for. */
        CALLBACK_RETURNED,
        /** After the caller's transaction committed. */
        CALLER_COMMITTED,
        /** After the caller's transaction rolled back. */
        CALLER_ROLLED_BACK,
        /** After the caller's transaction completed with an outcome its transaction manager did not know. */
        CALLER_COMPLETED
    }
}

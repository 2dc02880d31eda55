package dev.apilock;

/**
 * The caller's lock is no longer held: it expired, was taken over or force-released, or could
 * not be kept alive. Thrown by {@link LockHandle#checkHeld()} so that a callback can stop before
 * doing damage.
 */
public class ApiLockLostException extends ApiLockException {

    private static final long serialVersionUID = 1L;

    private final String lockId;

    public ApiLockLostException(String lockId, String message) {
        super(message);
        this.lockId = lockId;
    }

    /** The id of the lost lock. */
    public String lockId() {
        return lockId;
    }
}

package dev.apilock;

/**
 * Work to do while holding a lock, for {@link LockOperations#execute}.
 *
 * @param <T> the result type; may be {@code Void}, returning null
 */
@FunctionalInterface
public interface LockCallback<T> {

    /**
     * Runs while the lock is held. A runtime exception or error thrown here reaches the caller of
     * {@code execute} unchanged, after the lock is released.
     *
     * @param lock the held lock: its id, fencing token and expiry
     * @return the result handed back by {@code execute}, may be null
     */
    T doInLock(LockHandle lock);
}

package dev.apilock;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs work while holding a database lock. Implemented by {@link LockTemplate}; an interface so
 * that a host application can stub it in its own tests.
 */
public interface LockOperations {

    /**
     * Acquires a lock of {@code type}, runs {@code callback}, releases the lock, and returns the
     * callback's result. Fails fast: if another process holds the lock, nothing runs.
     *
     * @param type        the lock type
     * @param referenceId the request or correlation id recorded with the lock
     * @param user        who asks, recorded as the holder
     * @param callback    the work to do while holding the lock
     * @throws ApiLockSetupException   a null or invalid argument; nothing was written
     * @throws ApiLockAcquireException another process holds the lock (status 409)
     * @throws ApiLockException        the database failed while acquiring
     */
    <T> T execute(LockType type, String referenceId, String user, LockCallback<T> callback);

    /**
     * As {@link #execute(LockType, String, String, LockCallback)}, but waits up to {@code maxWait}
     * for the lock instead of failing at once: retries with capped, jittered backoff until
     * acquired or the wait is over, then throws {@link ApiLockAcquireException} naming the holder
     * at that moment. An interrupt stops the wait: the interrupt flag is restored and
     * {@link ApiLockAcquireException} thrown. {@code Duration.ZERO} means one attempt.
     *
     * @throws ApiLockSetupException   also for a null or negative {@code maxWait}, or one over a day
     */
    <T> T execute(LockType type, String referenceId, String user, Duration maxWait, LockCallback<T> callback);

    /** As {@link #execute(LockType, String, String, LockCallback)}, for work without a result. */
    default void executeWithoutResult(LockType type, String referenceId, String user, Consumer<LockHandle> action) {
        if (action == null) {
            throw new ApiLockSetupException("Lock callback must not be null");
        }
        execute(type, referenceId, user, lock -> {
            action.accept(lock);
            return null;
        });
    }
}

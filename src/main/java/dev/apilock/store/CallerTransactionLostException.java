package dev.apilock.store;

import dev.apilock.ApiLockException;

/**
 * The caller's JTA transaction could not be put back on its thread after a lock operation, which
 * itself completed. The repository undoes an acquisition that this happens after, so that nobody
 * holds a lock while being told it failed.
 */
final class CallerTransactionLostException extends ApiLockException {

    private static final long serialVersionUID = 1L;

    CallerTransactionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}

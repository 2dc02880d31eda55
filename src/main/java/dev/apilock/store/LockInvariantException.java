package dev.apilock.store;

import dev.apilock.ApiLockException;

/**
 * The database let an acquisition disagree with its own "latest active lock" check: the schema
 * is not the one apilock's changelog creates. Never expected with the packaged changelog.
 */
public class LockInvariantException extends ApiLockException {

    private static final long serialVersionUID = 1L;

    public LockInvariantException(String message) {
        super(message);
    }
}

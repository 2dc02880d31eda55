package dev.apilock.store;

/**
 * An acquisition attempt, already validated by the caller.
 *
 * @param lockId         a fresh ULID
 * @param lockType       the type's name
 * @param expiresSeconds expiry in whole seconds
 * @param user           who asks ({@code locked_by})
 * @param referenceId    the request or correlation id
 */
public record NewLock(String lockId, String lockType, long expiresSeconds, String user, String referenceId) {
}

package dev.apilock;

/**
 * Who asks for a lock taken through {@link ApiLocked}, and for which request: recorded with the
 * lock as {@code locked_by} and {@code reference_id}, and shown to whoever is refused.
 *
 * @param user        the caller's name, e.g. the security principal
 * @param referenceId the request's id, e.g. its {@code X-Request-Id} or trace id
 */
public record LockCaller(String user, String referenceId) {

    public LockCaller {
        LockArguments.text("User", user);
        LockArguments.text("Reference id", referenceId);
    }
}

package dev.apilock;

/**
 * A lock request or configuration is invalid: a bad lock type, user or reference id, an
 * unsupported database. Thrown before anything is written to the database.
 */
public class ApiLockSetupException extends ApiLockException {

    private static final long serialVersionUID = 1L;

    public ApiLockSetupException(String message) {
        super(message);
    }

    public ApiLockSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}

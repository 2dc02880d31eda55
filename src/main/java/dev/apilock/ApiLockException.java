package dev.apilock;

/** Root of every exception apilock throws. Unchecked, like the persistence exceptions it wraps. */
public class ApiLockException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ApiLockException(String message) {
        super(message);
    }

    public ApiLockException(String message, Throwable cause) {
        super(message, cause);
    }
}

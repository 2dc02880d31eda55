package dev.apilock;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The lock is held by another process. Carries what an HTTP API answers with: status 409, title
 * {@value #TITLE}, retry {@code false}, and a description naming the lock type and its expiry;
 * the message adds who holds the lock and for how much longer, when that is known.
 */
public class ApiLockAcquireException extends ApiLockException {

    private static final long serialVersionUID = 1L;

    public static final String TITLE = "Blocked by another process";
    public static final int STATUS = 409;

    private final LockType lockType;
    private final transient LockInfo holder;
    private final Duration timeLeft;

    /**
     * @param holder   the current holder, or null if it released between our attempt and the lookup
     * @param timeLeft the holder's remaining time by the database clock, or null with no holder
     */
    public ApiLockAcquireException(LockType lockType, LockInfo holder, Duration timeLeft) {
        this(lockType, holder, timeLeft, null);
    }

    /** As above, with a sentence appended to the message, e.g. why a wait ended. */
    public ApiLockAcquireException(LockType lockType, LockInfo holder, Duration timeLeft, String detail) {
        super(message(Objects.requireNonNull(lockType, "lockType"), holder, timeLeft, detail));
        this.lockType = lockType;
        this.holder = holder;
        this.timeLeft = timeLeft;
    }

    /** The origin's description: {@code Another process is currently blocking this request ...}. */
    public static String description(LockType lockType) {
        return "Another process is currently blocking this request with a lock for " + lockType.name()
                + ". Lock expires in not more than " + lockType.expiresAfter().toSeconds() + " seconds";
    }

    private static String message(LockType lockType, LockInfo holder, Duration timeLeft, String detail) {
        StringBuilder message = new StringBuilder(description(lockType)).append('.');
        if (holder != null) {
            message.append(" Held by ").append(holder.user())
                    .append(" for reference ").append(holder.referenceId())
                    .append(" (lock ").append(holder.lockId())
                    .append(", fencing token ").append(holder.fencingToken()).append(')');
            if (timeLeft != null) {
                message.append(", expires in ").append(formatSeconds(timeLeft));
            }
            message.append('.');
        }
        if (detail != null) {
            message.append(' ').append(detail);
        }
        return message.toString();
    }

    private static String formatSeconds(Duration timeLeft) {
        long millis = Math.max(0, timeLeft.toMillis());
        return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    public LockType lockType() {
        return lockType;
    }

    /** Who held the lock when this caller was refused, if still known. */
    public Optional<LockInfo> holder() {
        return Optional.ofNullable(holder);
    }

    /** The holder's remaining time by the database clock, if there was a holder. */
    public Optional<Duration> timeLeft() {
        return Optional.ofNullable(timeLeft);
    }

    /** The origin's description, without the holder details of {@link #getMessage()}. */
    public String description() {
        return description(lockType);
    }

    /** HTTP status for this refusal: 409 Conflict. */
    public int status() {
        return STATUS;
    }

    public String title() {
        return TITLE;
    }

    /** Always false: the refusal is final for this request; a client retries with a new one. */
    public boolean retry() {
        return false;
    }
}

package dev.apilock;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a method annotated with {@link ApiLocked} under its lock: what the Spring advice and the CDI
 * interceptor share. Resolve each annotated method once, when the application starts
 * ({@link #resolve}: an unknown type or a bad wait fails there), then {@link #invoke} it per call.
 * Thread-safe.
 */
public final class ApiLockedInvoker {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final LockOperations locks;
    private final LockTypes types;
    private final LockCallerResolver callers;

    public ApiLockedInvoker(LockOperations locks, LockTypes types, LockCallerResolver callers) {
        if (locks == null || types == null || callers == null) {
            throw new ApiLockSetupException("LockOperations, LockTypes and LockCallerResolver must not be null");
        }
        this.locks = locks;
        this.types = types;
        this.callers = callers;
    }

    /** A method's lock, resolved from its annotation: the type (keep-alive applied) and the wait. */
    public record LockedMethod(LockType type, Duration maxWait, String usedBy) {
    }

    /**
     * Resolves an annotation against the declared types.
     *
     * @param usedBy where it was found, for messages, e.g. {@code "@ApiLocked on DocumentService.update"}
     * @throws ApiLockSetupException an unknown type or a malformed wait, naming {@code usedBy}
     */
    public LockedMethod resolve(ApiLocked annotation, String usedBy) {
        LockType type = types.require(annotation.value(), usedBy);
        return new LockedMethod(annotation.keepAlive() ? type.withKeepAlive() : type,
                parseWait(annotation.maxWait(), usedBy), usedBy);
    }

    /**
     * Runs {@code method} under the lock of {@code locked}: the caller resolved now, the lock
     * reachable through {@link CurrentLock} while it runs. Whatever the method throws, checked or
     * not, comes out unchanged.
     *
     * @throws ApiLockAcquireException another process holds the lock
     */
    public Object invoke(LockedMethod locked, Proceed method) throws Throwable {
        LockCaller caller = callers.resolve(locked.type());
        try {
            return locks.execute(locked.type(), caller.referenceId(), caller.user(), locked.maxWait(), lock -> {
                CurrentLock.enter(lock);
                try {
                    return method.proceed();
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new Checked(t);
                } finally {
                    CurrentLock.leave();
                }
            });
        } catch (Checked checked) {
            throw checked.getCause();
        }
    }

    /** The annotated method itself. */
    @FunctionalInterface
    public interface Proceed {
        Object proceed() throws Throwable;
    }

    /** {@code ""} for none, ISO-8601, or a whole number of ms, s, m or h. */
    static Duration parseWait(String text, String usedBy) {
        String value = text == null ? "" : text.strip();
        if (value.isEmpty()) {
            return Duration.ZERO;
        }
        Duration wait;
        Matcher matcher = SHORT_DURATION.matcher(value.toLowerCase(Locale.ROOT));
        try {
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                wait = switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            } else {
                wait = Duration.parse(value);
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new ApiLockSetupException("Malformed maxWait '" + Texts.printable(value) + "' in " + usedBy
                    + ": use ISO-8601 (PT30S) or 500ms, 30s, 5m, 2h");
        }
        if (wait.isNegative() || wait.compareTo(LockTemplate.MAX_WAIT) > 0) {
            throw new ApiLockSetupException("maxWait in " + usedBy + " must be between PT0S and "
                    + LockTemplate.MAX_WAIT + ", was " + wait);
        }
        return wait;
    }

    /** Carries a checked exception through the callback; no stack trace of its own. */
    private static final class Checked extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Checked(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}

package dev.apilock;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A kind of lock: at most one holder per type at a time, for at most {@code expiresAfter}.
 *
 * <p>A name is 1 to {@value #MAX_NAME_LENGTH} characters of ASCII letters, digits and
 * {@code _ - . : /}, e.g. {@code configdocs_update} or {@code invoice:2024-07}. The expiry is a
 * whole number of seconds from 1 second to {@link #MAX_EXPIRY}. Anything else throws
 * {@link ApiLockSetupException} naming the bad value, before any database is touched.
 *
 * <p>A type {@link #withKeepAlive() with keep-alive} has its locks extended in the background
 * while a callback runs, so work may outlast {@code expiresAfter}; a crashed holder still blocks
 * the type for at most {@code expiresAfter}.
 *
 * @param name         the type's name, stored as {@code lock_type}
 * @param expiresAfter how long a holder keeps the lock unless it releases it sooner (or, with
 *                     keep-alive, unless it stops extending it)
 * @param keepAlive    whether {@link LockTemplate} extends locks of this type while their
 *                     callback runs
 */
public record LockType(String name, Duration expiresAfter, boolean keepAlive) {

    /** Longest name the {@code lock_type} column takes. */
    public static final int MAX_NAME_LENGTH = 128;

    /** Longest expiry accepted; longer work extends its lock instead of taking a huge expiry. */
    public static final Duration MAX_EXPIRY = Duration.ofDays(30);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:/-]+");

    /** The origin's only type: configuration documents are updated by one process at a time. */
    public static final LockType CONFIGDOCS_UPDATE = new LockType("configdocs_update", Duration.ofSeconds(60));

    public LockType {
        requireName(name);
        if (expiresAfter == null) {
            throw new ApiLockSetupException("Expiry of lock type " + name + " must not be null");
        }
        if (expiresAfter.isNegative() || expiresAfter.isZero()) {
            throw new ApiLockSetupException("Expiry of lock type " + name + " must be positive, was " + expiresAfter);
        }
        if (expiresAfter.getNano() != 0) {
            throw new ApiLockSetupException("Expiry of lock type " + name
                    + " must be a whole number of seconds, was " + expiresAfter);
        }
        if (expiresAfter.compareTo(MAX_EXPIRY) > 0) {
            throw new ApiLockSetupException("Expiry of lock type " + name + " must be at most "
                    + MAX_EXPIRY + ", was " + expiresAfter);
        }
    }

    /** Checks a type name by the rules above; for callers that name a type without an expiry. */
    static String requireName(String name) {
        if (name == null) {
            throw new ApiLockSetupException("Lock type name must not be null");
        }
        if (name.isBlank()) {
            throw new ApiLockSetupException("Lock type name must not be blank, was '" + Texts.printable(name) + "'");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new ApiLockSetupException("Lock type name must be at most " + MAX_NAME_LENGTH
                    + " characters, was " + name.length() + ": '" + Texts.abbreviate(name) + "'");
        }
        if (!NAME.matcher(name).matches()) {
            throw new ApiLockSetupException("Lock type name may contain only ASCII letters, digits and _ - . : /,"
                    + " was '" + Texts.printable(name) + "'");
        }
        return name;
    }

    /** A type without keep-alive. */
    public LockType(String name, Duration expiresAfter) {
        this(name, expiresAfter, false);
    }

    /** Same as the constructor; reads well at the call site: {@code LockType.of("report", ofMinutes(5))}. */
    public static LockType of(String name, Duration expiresAfter) {
        return new LockType(name, expiresAfter);
    }

    /**
     * This type with keep-alive: while a callback runs, its lock is extended to
     * {@code expiresAfter} from now every third of {@code expiresAfter}. If an extension finds the
     * lock lost or fails, the handle is marked lost ({@link LockHandle#isHeld()} false,
     * {@link LockHandle#checkHeld()} throws) and extending stops.
     */
    public LockType withKeepAlive() {
        return new LockType(name, expiresAfter, true);
    }
}

package dev.apilock;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules for what callers hand to apilock, in one place: {@link LockTemplate}, {@link LockAdmin}
 * and the command line check their arguments with these before anything touches the database.
 * Each throws {@link ApiLockSetupException} naming the bad value, shown safely (controls as
 * {@code \}{@code uXXXX}, long values cut).
 */
public final class LockArguments {

    /** A ULID in Crockford base 32, as {@link LockHandle#lockId()} hands out. */
    private static final Pattern LOCK_ID = Pattern.compile("[0-9A-HJKMNP-TV-Z]{26}");

    private LockArguments() {
    }

    /**
     * A user or reference id ({@code what} names which): 1 to 255 characters with something
     * visible, and nothing that breaks or disguises a line (controls, line separators,
     * bidirectional overrides, broken surrogates).
     */
    public static String text(String what, String value) {
        return Texts.requireText(what, value);
    }

    /** A lock type's name: 1 to 128 ASCII letters, digits and {@code _ - . : /}. */
    public static String typeName(String name) {
        return LockType.requireName(name);
    }

    /** A wait for a lock, from none to {@link LockTemplate#MAX_WAIT}. */
    public static Duration maxWait(Duration wait) {
        if (wait == null) {
            throw new ApiLockSetupException("Maximum wait must not be null");
        }
        if (wait.isNegative() || wait.compareTo(LockTemplate.MAX_WAIT) > 0) {
            throw new ApiLockSetupException("Maximum wait must be between PT0S and " + LockTemplate.MAX_WAIT
                    + ", was " + wait);
        }
        return wait;
    }

    /** How many history rows to read, from 1 to {@link LockAdmin#MAX_HISTORY_LIMIT}. */
    public static int historyLimit(int limit) {
        if (limit < 1 || limit > LockAdmin.MAX_HISTORY_LIMIT) {
            throw new ApiLockSetupException("History limit must be from 1 to " + LockAdmin.MAX_HISTORY_LIMIT
                    + ", was " + limit);
        }
        return limit;
    }

    /**
     * A lock id, a ULID, returned as stored: upper case, as Crockford base 32 is case-insensitive,
     * without surrounding blanks.
     */
    public static String lockId(String lockId) {
        if (lockId == null) {
            throw new ApiLockSetupException("Lock id must not be null");
        }
        if (lockId.isBlank()) {
            throw new ApiLockSetupException("Lock id must not be blank, was '" + Texts.printable(lockId) + "'");
        }
        String id = lockId.strip().toUpperCase(Locale.ROOT);
        if (!LOCK_ID.matcher(id).matches()) {
            throw new ApiLockSetupException("Lock id must be a 26-character ULID, was '" + Texts.abbreviate(lockId) + "'");
        }
        return id;
    }

    /** The age beyond which history is purged: whole seconds, from 1 s to {@link LockAdmin#MAX_PURGE_AGE}. */
    public static Duration purgeAge(Duration age) {
        if (age == null) {
            throw new ApiLockSetupException("Purge age must not be null");
        }
        if (age.isNegative() || age.isZero() || age.getNano() != 0 || age.compareTo(LockAdmin.MAX_PURGE_AGE) > 0) {
            throw new ApiLockSetupException("Purge age must be a whole number of seconds from PT1S to "
                    + LockAdmin.MAX_PURGE_AGE + ", was " + age);
        }
        return age;
    }
}

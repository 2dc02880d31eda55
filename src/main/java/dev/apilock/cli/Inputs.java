package dev.apilock.cli;

import dev.apilock.ApiLockSetupException;
import dev.apilock.LockAdmin;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The arguments a command hands to the library, checked by the library's rules before the
 * database is opened: a bad value costs neither a connection nor Hibernate's start, and nothing is
 * written. Type names and expiries are checked by {@link LockType} itself; the other rules are
 * stated here as {@link LockTemplate} and {@link LockAdmin} state them, with their messages (a
 * test compares the two), and the library checks them again when it is called.
 */
final class Inputs {

    /** Longest user or reference id the {@code locked_by} and {@code reference_id} columns take. */
    private static final int MAX_TEXT_LENGTH = 255;
    private static final int QUOTED_LENGTH = 40;
    private static final Pattern LOCK_ID = Pattern.compile("[0-9A-HJKMNP-TV-Z]{26}");

    private Inputs() {
    }

    /** A lock type name, with any expiry: only the name is checked. */
    static String typeName(String name) {
        return LockType.of(name, Duration.ofSeconds(1)).name();
    }

    /** A user or reference id ({@code what}): visible, at most 255 characters, nothing that breaks a line. */
    static String text(String what, String value) {
        if (value.codePoints().allMatch(Inputs::invisible)) {
            throw new ApiLockSetupException(what + " must not be blank, was '" + printable(value) + "'");
        }
        if (value.length() > MAX_TEXT_LENGTH) {
            throw new ApiLockSetupException(what + " must be at most " + MAX_TEXT_LENGTH + " characters, was "
                    + value.length() + ": '" + abbreviate(value) + "'");
        }
        if (value.codePoints().anyMatch(Inputs::unprintable)) {
            throw new ApiLockSetupException(what + " must not contain control characters, line separators,"
                    + " bidirectional overrides or broken surrogates, was '" + printable(value) + "'");
        }
        return value;
    }

    static Duration maxWait(Duration wait) {
        if (wait.isNegative() || wait.compareTo(LockTemplate.MAX_WAIT) > 0) {
            throw new ApiLockSetupException("Maximum wait must be between PT0S and " + LockTemplate.MAX_WAIT
                    + ", was " + wait);
        }
        return wait;
    }

    static int historyLimit(int limit) {
        if (limit < 1 || limit > LockAdmin.MAX_HISTORY_LIMIT) {
            throw new ApiLockSetupException("History limit must be from 1 to " + LockAdmin.MAX_HISTORY_LIMIT
                    + ", was " + limit);
        }
        return limit;
    }

    /** A lock id, a ULID; lower case is accepted, as Crockford base 32 is case-insensitive. */
    static String lockId(String lockId) {
        if (lockId.isBlank()) {
            throw new ApiLockSetupException("Lock id must not be blank, was '" + printable(lockId) + "'");
        }
        if (!LOCK_ID.matcher(lockId.strip().toUpperCase(Locale.ROOT)).matches()) {
            throw new ApiLockSetupException("Lock id must be a 26-character ULID, was '" + abbreviate(lockId) + "'");
        }
        return lockId;
    }

    static Duration purgeAge(Duration age) {
        if (age.isNegative() || age.isZero() || age.getNano() != 0 || age.compareTo(LockAdmin.MAX_PURGE_AGE) > 0) {
            throw new ApiLockSetupException("Purge age must be a whole number of seconds from PT1S to "
                    + LockAdmin.MAX_PURGE_AGE + ", was " + age);
        }
        return age;
    }

    /** Nothing visible: whitespace, Unicode spaces such as U+00A0, invisible format characters such as U+200B. */
    private static boolean invisible(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)
                || Character.getType(codePoint) == Character.FORMAT;
    }

    /**
     * Characters that break or disguise a line: controls, unpaired surrogates, line and paragraph
     * separators and the bidirectional embeddings, overrides and isolates.
     */
    private static boolean unprintable(int codePoint) {
        return Character.isISOControl(codePoint)
                || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)
                || codePoint == 0x2028 || codePoint == 0x2029
                || (codePoint >= 0x202A && codePoint <= 0x202E)
                || (codePoint >= 0x2066 && codePoint <= 0x2069);
    }

    /** As the library quotes a value in a message: unprintable characters as {@code \}{@code uXXXX}. */
    private static String printable(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> {
            if (unprintable(c)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static String abbreviate(String value) {
        return printable(value.length() <= QUOTED_LENGTH ? value : value.substring(0, QUOTED_LENGTH) + "...");
    }
}

package dev.apilock;

/** Checks user-supplied strings and makes them safe to quote in an error message. */
final class Texts {

    /** Longest user or reference id the {@code locked_by} / {@code reference_id} columns take. */
    static final int MAX_TEXT_LENGTH = 255;

    private static final int QUOTED_LENGTH = 40;

    private Texts() {
    }

    /**
     * A user or reference id: 1 to 255 characters, not blank, nothing that breaks or disguises a
     * line (PostgreSQL refuses NUL, and a newline would forge lines in logs and CLI output), and
     * valid UTF-16.
     * Blank means nothing visible: only whitespace, Unicode spaces such as U+00A0 and U+3000,
     * and invisible format characters such as U+200B.
     */
    static String requireText(String what, String value) {
        if (value == null) {
            throw new ApiLockSetupException(what + " must not be null");
        }
        if (value.codePoints().allMatch(Texts::invisible)) {
            throw new ApiLockSetupException(what + " must not be blank, was '" + printable(value) + "'");
        }
        if (value.length() > MAX_TEXT_LENGTH) {
            throw new ApiLockSetupException(what + " must be at most " + MAX_TEXT_LENGTH + " characters, was "
                    + value.length() + ": '" + abbreviate(value) + "'");
        }
        if (value.codePoints().anyMatch(Texts::unprintable)) {
            throw new ApiLockSetupException(what + " must not contain control characters, line separators,"
                    + " bidirectional overrides or broken surrogates, was '" + printable(value) + "'");
        }
        return value;
    }

    /** The first characters of a long value, enough to recognise it. */
    static String abbreviate(String value) {
        String shown = value.length() <= QUOTED_LENGTH ? value : value.substring(0, QUOTED_LENGTH) + "...";
        return printable(shown);
    }

    /** Control characters and unpaired surrogates shown as {@code \}{@code uXXXX}, so a message stays one clean line. */
    static String printable(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> {
            if (unprintable(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static boolean invisible(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)
                || Character.getType(codePoint) == Character.FORMAT;
    }

    /**
     * Characters that break or disguise a line where an id is shown: controls, unpaired
     * surrogates, line and paragraph separators (U+2028, U+2029) and the bidirectional
     * embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) that can make a log line
     * read backwards.
     */
    private static boolean unprintable(int codePoint) {
        return Character.isISOControl(codePoint)
                || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)
                || codePoint == 0x2028 || codePoint == 0x2029
                || (codePoint >= 0x202A && codePoint <= 0x202E)
                || (codePoint >= 0x2066 && codePoint <= 0x2069);
    }
}

package dev.apilock.cli;

import java.util.regex.Pattern;

/** Keeps passwords out of what the command line prints: JDBC URLs and error messages. */
final class Redaction {

    /** {@code password=...} in a query string ({@code ?&}) or H2 settings ({@code ;}), any case. */
    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("(?i)((?:password|passwd|pwd|sslpassword)\\s*=)(?!\\*\\*\\*)[^&;\\s]*");

    /** {@code //user:secret@host} */
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:;?\\s]*:)[^/@;?\\s]*@");

    private Redaction() {
    }

    /** The URL with every password replaced by {@code ***}. */
    static String url(String url) {
        if (url == null) {
            return null;
        }
        String safe = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        return USER_INFO.matcher(safe).replaceAll("$1***@");
    }

    /** A message with URL passwords and the given password (if any) replaced by {@code ***}. */
    static String text(String message, String password) {
        String safe = message;
        if (password != null && !password.isEmpty()) {
            safe = safe.replace(password, "***");
        }
        return url(safe);
    }
}

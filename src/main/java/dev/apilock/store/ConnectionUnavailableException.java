package dev.apilock.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * apilock could not get a connection at all, so nothing was sent: the database is unreachable, or
 * the pool is exhausted. The message says which, in one line, with what to do about an exhausted
 * pool.
 */
final class ConnectionUnavailableException extends SQLException {

    private static final long serialVersionUID = 1L;

    static final String EXHAUSTED_ADVICE = "every connection of the pool is in use, and a caller that holds one"
            + " inside its transaction while it takes a lock needs a second: give apilock a small pool of its own"
            + " (ApiLockPersistence.createEntityManagerFactory over a separate DataSource), take the lock before"
            + " the transaction begins, or size the pool above the number of such concurrent callers";

    /** HikariCP's state in its timeout message: "(total=10, active=10, idle=0, waiting=3)". */
    private static final Pattern HIKARI_STATE = Pattern.compile("total=(\\d+), active=(\\d+)");

    private final boolean poolExhausted;

    private ConnectionUnavailableException(String message, Throwable cause, boolean poolExhausted) {
        super(message, cause instanceof SQLException sql ? sql.getSQLState() : null, cause);
        this.poolExhausted = poolExhausted;
    }

    static ConnectionUnavailableException of(Throwable cause) {
        String pool = ApiLockRepository.rootMessage(cause);
        if (looksExhausted(cause)) {
            return new ConnectionUnavailableException("no connection from the pool within its timeout, the pool is"
                    + " exhausted (" + pool + "): " + EXHAUSTED_ADVICE, cause, true);
        }
        return new ConnectionUnavailableException("no database connection: " + pool, cause, false);
    }

    /**
     * The pool timed out without the driver failing: a pool whose database is down says why (the
     * driver's connection error, SQLSTATE class 08, as its cause); an exhausted pool only says that
     * it waited.
     */
    private static boolean looksExhausted(Throwable cause) {
        if (ApiLockRepository.connectionBroke(cause)) {
            return false;
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            Matcher hikari = HIKARI_STATE.matcher(message);
            if (hikari.find()) {
                // HikariCP says how many connections it has and how many are in use: an empty pool
                // (its connections broke and new ones fail) is not one that callers have exhausted
                long total = Long.parseLong(hikari.group(1));
                return total > 0 && Long.parseLong(hikari.group(2)) >= total;
            }
            if (t instanceof SQLTransientConnectionException || message.contains("timeout")
                    || message.contains("timed out") || message.contains("not available")) {
                return true;
            }
        }
        return false;
    }

    boolean poolExhausted() {
        return poolExhausted;
    }
}

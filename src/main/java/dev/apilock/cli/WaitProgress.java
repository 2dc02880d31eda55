package dev.apilock.cli;

import dev.apilock.LockHandle;
import dev.apilock.LockInfo;
import dev.apilock.LockListener;
import dev.apilock.LockType;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What {@code run --wait} shows on a terminal while it waits: one line on stderr, rewritten in
 * place a few times a second, with whom it waits for and how long the holder has left by the
 * database clock; erased once the wait is over, whatever its outcome. Only for a terminal: where
 * stderr is a file or a pipe it would be noise.
 */
final class WaitProgress implements LockListener, AutoCloseable {

    private static final long REDRAW_MILLIS = 200;

    private final PrintWriter err;
    private final int columns;
    private final Duration maxWait;
    private final Supplier<Instant> databaseNow;
    private final long started = System.nanoTime();
    private Thread redraw;
    private LockType type;
    private LockInfo holder;
    /** Database clock minus this machine's, read once: the holder's expiry is by the database clock. */
    private Duration clockOffset;
    private int shown;
    private boolean closed;

    /**
     * @param columns     the terminal's width; longer lines are cut, or {@code \r} would not go back far enough
     * @param databaseNow the database clock, asked once when the first attempt is refused
     */
    WaitProgress(PrintWriter err, int columns, Duration maxWait, Supplier<Instant> databaseNow) {
        this.err = err;
        this.columns = Math.max(20, columns);
        this.maxWait = maxWait;
        this.databaseNow = databaseNow;
    }

    @Override
    public void blocked(LockType blockedType, Optional<LockInfo> blockedBy) {
        if (clockOffset == null) {
            try {
                clockOffset = Duration.between(Instant.now(), databaseNow.get());
            } catch (RuntimeException e) {
                clockOffset = Duration.ZERO; // the next attempt will meet the same problem and report it
            }
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            type = blockedType;
            holder = blockedBy.orElse(null);
            if (redraw == null) {
                redraw = new Thread(this::redrawUntilClosed, "apilock-wait-progress");
                redraw.setDaemon(true);
                redraw.start();
            }
        }
        draw();
    }

    @Override
    public void acquired(LockHandle lock, Duration waited) {
        close();
    }

    /** Erases the line; nothing is drawn after this. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (shown > 0) {
                err.print("\r" + " ".repeat(shown) + "\r");
                err.flush();
            }
            notifyAll();
        }
    }

    private synchronized void redrawUntilClosed() {
        while (!closed) {
            try {
                wait(REDRAW_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            draw();
        }
    }

    private synchronized void draw() {
        if (closed || type == null) {
            return;
        }
        String line = line();
        if (line.length() > columns - 1) {
            line = line.substring(0, columns - 4) + "...";
        }
        err.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
        if (shown > line.length()) {
            err.print("\r" + line);
        }
        err.flush();
        shown = line.length();
    }

    /** {@code apilock: waiting for lock deploy (3 s of 30s): held by alice for job-17, 41.3 s left} */
    private String line() {
        long waited = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        StringBuilder line = new StringBuilder("apilock: waiting for lock ").append(type.name()).append(" (")
                .append(waited).append(" s of ").append(DurationConverter.format(maxWait)).append(')');
        if (holder != null) {
            Duration left = Duration.between(Instant.now().plus(clockOffset), holder.expiresAt());
            line.append(": held by ").append(holder.user()).append(" for ").append(holder.referenceId()).append(", ")
                    .append(left.isNegative() ? "expired" : Output.duration(left) + " left");
        }
        return Output.printable(line.toString());
    }
}

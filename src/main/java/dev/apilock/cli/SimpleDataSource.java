package dev.apilock.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A new connection for every request, through {@link DriverManager}: a command runs a handful of
 * statements and exits, so a pool would only add start-up time. Opening an H2 database that
 * another process is handing over is retried for a while.
 */
final class SimpleDataSource implements DataSource {

    /** How long to retry opening an H2 database that another process is opening or closing. */
    private static final long H2_RETRY_SECONDS = 30;
    private static final int H2_ERROR_OPENING_DATABASE = 8000;
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;
    private static final int H2_CONNECTION_BROKEN = 90067;
    private static final int H2_DATABASE_CLOSED_AT_SHUTDOWN = 90121;

    private final String url;
    private final String user;
    private final String password;

    private final BooleanSupplier refuse;

    /** @param refuse while true, {@link #getConnection()} fails at once: apilock is being stopped */
    SimpleDataSource(String url, String user, String password, BooleanSupplier refuse) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.refuse = refuse;
    }

    @Override
    public Connection getConnection() throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(H2_RETRY_SECONDS);
        long delay = 50;
        while (true) {
            if (refuse.getAsBoolean()) {
                throw new SQLException("apilock is stopping: no new connections", "57P01");
            }
            try {
                return DriverManager.getConnection(url, user, password);
            } catch (SQLException e) {
                if (!h2HandingOver(e) || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) > deadline) {
                    throw e;
                }
            }
            sleep(ThreadLocalRandom.current().nextLong(delay / 2, delay + 1));
            delay = Math.min(1000, delay * 2);
        }
    }

    /**
     * An embedded H2 database in auto-server mode changing hands between processes: the lock
     * file was just written by a process opening or closing it, two processes race to open it,
     * or the process serving it is exiting. All settle within seconds.
     */
    private static boolean h2HandingOver(SQLException e) {
        return e.getClass().getName().startsWith("org.h2.")
                && (e.getErrorCode() == H2_ERROR_OPENING_DATABASE || e.getErrorCode() == H2_DATABASE_ALREADY_OPEN
                    || e.getErrorCode() == H2_CONNECTION_BROKEN || e.getErrorCode() == H2_DATABASE_CLOSED_AT_SHUTDOWN);
    }

    private static void sleep(long millis) throws SQLException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting for the database", "08000", e);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return DriverManager.getConnection(url, username, password);
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // not used
    }

    @Override
    public void setLoginTimeout(int seconds) {
        DriverManager.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
        return DriverManager.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("Not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}

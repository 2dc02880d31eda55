package dev.apilock.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

/**
 * Leaving an H2 database in auto-server mode gracefully. The process that opened the file serves
 * it to the others over TCP, and when that process exits, H2 closes the database under whatever
 * the others are running on it at that moment. So before it exits, a serving process waits for
 * the other sessions to end: apilock's connections live for one operation or one short command,
 * so they end soon.
 */
final class H2Handover {

    private static final long MAX_WAIT_SECONDS = 10;

    private H2Handover() {
    }

    /** Waits, on {@code connection} to the database, until no other session uses it. */
    static void drain(Connection connection) {
        try {
            if (!(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal)) {
                return; // another process serves the database
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_WAIT_SECONDS);
            try (Statement statement = connection.createStatement()) {
                while (otherSessions(statement) > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
        } catch (SQLException e) {
            // cannot tell: leave as before
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long otherSessions(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) - 1 FROM INFORMATION_SCHEMA.SESSIONS")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

package dev.apilock.reliability;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collects the PostgreSQL backend pids of connections with one {@code ApplicationName} while a
 * run lasts, so that the shared server's log can be read for exactly those backends.
 */
final class BackendWatcher {

    private final Set<Integer> pids = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;

    private BackendWatcher(ReliabilityDatabase database, String application) {
        thread = new Thread(() -> watch(database, application), "backend-watcher");
        thread.setDaemon(true);
    }

    static BackendWatcher start(ReliabilityDatabase database, String application) {
        BackendWatcher watcher = new BackendWatcher(database, application);
        watcher.thread.start();
        return watcher;
    }

    private void watch(ReliabilityDatabase database, String application) {
        try (Connection connection = database.testDatabase().connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
            statement.setString(1, application);
            while (running) {
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        pids.add(rs.getInt(1));
                    }
                }
                Thread.sleep(25);
            }
        } catch (SQLException e) {
            System.err.println("backend watcher stopped: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops watching and returns every pid seen. */
    Set<Integer> stop() throws InterruptedException {
        running = false;
        thread.join(5_000);
        return new HashSet<>(pids);
    }
}

package dev.apilock.store;

import jakarta.transaction.TransactionManager;
import java.sql.Connection;
import java.sql.SQLException;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * apilock's own connection from the persistence unit's pool, in auto-commit mode while apilock
 * uses it, and handed back as it was found. A pool that hands out connections with auto-commit off
 * (Hibernate's {@code provider_disables_autocommit} tuning) gets them back that way, with nothing
 * left uncommitted: a write that only committed when the pool happened to commit would be lost on
 * the pool's rollback.
 */
final class LocalTransactions implements OwnTransactions {

    private static final Logger log = LoggerFactory.getLogger(LocalTransactions.class);

    private final ConnectionProvider connections;

    LocalTransactions(ConnectionProvider connections) {
        this.connections = connections;
    }

    @Override
    public <R> R run(ConnectionWork<R> work) throws SQLException {
        Connection connection = borrow();
        boolean autoCommit = true;
        try {
            autoCommit = connection.getAutoCommit();
            if (!autoCommit) {
                // A pooled connection is at a transaction boundary; rolling back, unlike switching
                // auto-commit on, can never commit anything that is not ours.
                connection.rollback();
                connection.setAutoCommit(true);
            }
            return work.run(connection);
        } finally {
            giveBack(connection, autoCommit);
        }
    }

    @Override
    public TransactionManager transactionManager() {
        return null;
    }

    private Connection borrow() throws ConnectionUnavailableException {
        try {
            return connections.getConnection();
        } catch (SQLException | RuntimeException e) {
            throw ConnectionUnavailableException.of(e);
        }
    }

    /**
     * Ends whatever the work left open and restores auto-commit. On a broken connection these fail;
     * the pool then discards it, and the work's own outcome (or failure) stands.
     */
    private void giveBack(Connection connection, boolean autoCommit) {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            if (!autoCommit) {
                connection.setAutoCommit(false);
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("Could not restore apilock's connection before returning it: {}", e.getMessage());
        }
        try {
            connections.closeConnection(connection);
        } catch (SQLException | RuntimeException e) {
            log.debug("Returning apilock's connection to the pool failed: {}", e.getMessage());
        }
    }
}

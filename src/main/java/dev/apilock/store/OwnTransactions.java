package dev.apilock.store;

import dev.apilock.ApiLockSetupException;
import jakarta.transaction.TransactionManager;
import java.sql.Connection;
import java.sql.SQLException;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.transaction.jta.platform.spi.JtaPlatform;
import org.hibernate.resource.transaction.spi.TransactionCoordinatorBuilder;

/**
 * How apilock isolates its work from the host's transactions: the one place that decides, chosen
 * once per persistence unit, through which every store operation goes.
 *
 * <p>Every operation gets a connection that is in no transaction of the caller's, in auto-commit
 * mode, straight from the persistence unit's {@link ConnectionProvider}: never through an
 * {@code EntityManager}, which a JTA persistence unit or Spring's shared {@code EntityManager}
 * proxies would join to the caller's transaction. What the operation commits is committed when it
 * returns. The connection goes back to the pool exactly as it was found.
 *
 * <ul>
 *   <li>{@link LocalTransactions}: resource-local persistence units, with the pool's connections in
 *       auto-commit mode or not. A Spring-managed caller needs nothing more: Spring binds the caller's
 *       connection to its own {@code EntityManager}, while the pool hands apilock another.</li>
 *   <li>{@link SuspendingTransactions}: whenever Hibernate's {@link JtaPlatform} knows a
 *       {@link TransactionManager} (a JTA persistence unit, or apilock's own pool in a JTA host): the
 *       caller's JTA transaction is suspended around the operation and resumed afterwards, as
 *       {@code REQUIRES_NEW} does, so that the pool does not enlist apilock's connection in it.</li>
 * </ul>
 */
public interface OwnTransactions {

    /**
     * Runs {@code work} on a connection of its own, outside any caller's transaction, in auto-commit
     * mode. The work may run an explicit transaction of its own, which it must end.
     *
     * @throws ConnectionUnavailableException no connection could be had: the database is unreachable
     *                                        or the pool is exhausted
     * @throws SQLException                   the work failed
     */
    <R> R run(ConnectionWork<R> work) throws SQLException;

    /** The host's transaction manager, if the persistence unit knows one: its transactions are the caller's. */
    TransactionManager transactionManager();

    /** Chooses the way for the persistence unit of {@code sessionFactory}. */
    static OwnTransactions of(SessionFactoryImplementor sessionFactory) {
        var services = sessionFactory.getServiceRegistry();
        ConnectionProvider connections = services.getService(ConnectionProvider.class);
        if (connections == null) {
            throw new ApiLockSetupException("The persistence unit has no single ConnectionProvider (is it"
                    + " multi-tenant?); give apilock a persistence unit of its own with"
                    + " ApiLockPersistence.createEntityManagerFactory(dataSource)");
        }
        JtaPlatform platform = services.getService(JtaPlatform.class);
        TransactionManager transactionManager = platform == null ? null : platform.retrieveTransactionManager();
        TransactionCoordinatorBuilder coordinator = services.getService(TransactionCoordinatorBuilder.class);
        if (transactionManager == null && coordinator != null && coordinator.isJta()) {
            throw new ApiLockSetupException("The persistence unit is JTA, but its JtaPlatform ("
                    + (platform == null ? "none" : platform.getClass().getName()) + ") gives no TransactionManager:"
                    + " apilock needs one to keep its work out of the caller's transaction;"
                    + " set hibernate.transaction.jta.platform");
        }
        LocalTransactions local = new LocalTransactions(connections);
        return transactionManager == null ? local : new SuspendingTransactions(transactionManager, local);
    }

    /** JDBC work on apilock's own connection. */
    @FunctionalInterface
    interface ConnectionWork<R> {
        R run(Connection connection) throws SQLException;
    }
}

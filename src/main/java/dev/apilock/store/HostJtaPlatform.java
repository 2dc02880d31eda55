package dev.apilock.store;

import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.UserTransaction;
import org.hibernate.HibernateException;
import org.hibernate.engine.transaction.jta.platform.spi.JtaPlatform;

/**
 * The host's JTA transaction manager, given to apilock's own resource-local persistence unit: its
 * connections come from a pool of its own that enlists in nothing, and through this platform apilock
 * still sees the caller's JTA transactions, to keep out of them and to release a lock only once they
 * have completed.
 */
public final class HostJtaPlatform implements JtaPlatform {

    private static final long serialVersionUID = 1L;

    private final transient TransactionManager transactionManager;

    public HostJtaPlatform(TransactionManager transactionManager) {
        this.transactionManager = transactionManager;
    }

    @Override
    public TransactionManager retrieveTransactionManager() {
        return transactionManager;
    }

    @Override
    public UserTransaction retrieveUserTransaction() {
        return null;
    }

    @Override
    public Object getTransactionIdentifier(Transaction transaction) {
        return transaction;
    }

    @Override
    public boolean canRegisterSynchronization() {
        try {
            return getCurrentStatus() == Status.STATUS_ACTIVE;
        } catch (SystemException e) {
            return false;
        }
    }

    @Override
    public void registerSynchronization(Synchronization synchronization) {
        try {
            transactionManager.getTransaction().registerSynchronization(synchronization);
        } catch (RollbackException | SystemException e) {
            throw new HibernateException("Could not register a synchronization with the JTA transaction", e);
        }
    }

    @Override
    public int getCurrentStatus() throws SystemException {
        return transactionManager.getStatus();
    }
}

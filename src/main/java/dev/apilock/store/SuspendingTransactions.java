package dev.apilock.store;

import dev.apilock.ApiLockException;
import jakarta.transaction.InvalidTransactionException;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.sql.SQLException;

/**
 * A JTA host: the caller's transaction, if the thread has one, is suspended while apilock works
 * and resumed afterwards, as {@code REQUIRES_NEW} does. While it is suspended, a JTA-aware pool
 * (Agroal, an application server's) hands out a connection enlisted in nothing, which apilock may
 * commit and switch to auto-commit; the caller's own connection is never touched.
 */
final class SuspendingTransactions implements OwnTransactions {

    private final TransactionManager transactionManager;
    private final LocalTransactions local;

    SuspendingTransactions(TransactionManager transactionManager, LocalTransactions local) {
        this.transactionManager = transactionManager;
        this.local = local;
    }

    @Override
    public <R> R run(ConnectionWork<R> work) throws SQLException {
        Transaction caller = suspend();
        R result;
        try {
            result = local.run(work);
        } catch (SQLException | RuntimeException | Error e) {
            resumeAfterFailure(caller, e);
            throw e;
        }
        resume(caller);
        return result;
    }

    @Override
    public TransactionManager transactionManager() {
        return transactionManager;
    }

    private Transaction suspend() {
        try {
            return transactionManager.getTransaction() == null ? null : transactionManager.suspend();
        } catch (SystemException | RuntimeException e) {
            throw new ApiLockException("Could not suspend the caller's JTA transaction around a lock operation: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Puts the caller's transaction back on the thread. Failing that is not apilock's operation
     * failing, which has committed; the caller must learn that its transaction is gone.
     */
    private void resume(Transaction caller) {
        if (caller == null) {
            return;
        }
        try {
            transactionManager.resume(caller);
        } catch (InvalidTransactionException | SystemException | RuntimeException e) {
            throw new CallerTransactionLostException("Could not resume the caller's JTA transaction " + caller
                    + " after a lock operation: " + e.getMessage(), e);
        }
    }

    private void resumeAfterFailure(Transaction caller, Throwable failure) {
        try {
            resume(caller);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}

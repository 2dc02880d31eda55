package dev.apilock.store;

import dev.apilock.ApiLockException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The caller's JTA transaction, through the transaction manager of the persistence unit's JtaPlatform. */
final class JtaCallerTransactions implements CallerTransactions {

    private static final Logger log = LoggerFactory.getLogger(JtaCallerTransactions.class);

    /** Longest a committing thread waits in afterCompletion for the release it handed on. */
    private static final long RELEASE_WAIT_SECONDS = 60;

    private final TransactionManager transactionManager;

    JtaCallerTransactions(TransactionManager transactionManager) {
        this.transactionManager = transactionManager;
    }

    @Override
    public CallerTransaction current() {
        try {
            Transaction transaction = transactionManager.getTransaction();
            if (transaction == null) {
                return null;
            }
            int status = transaction.getStatus();
            return status == Status.STATUS_ACTIVE || status == Status.STATUS_MARKED_ROLLBACK
                    ? new Jta(transaction) : null;
        } catch (SystemException e) {
            throw new ApiLockException("Could not read the caller's JTA transaction: " + e.getMessage(), e);
        }
    }

    private final class Jta implements CallerTransaction {

        private final Transaction transaction;

        Jta(Transaction transaction) {
            this.transaction = transaction;
        }

        @Override
        public boolean runAfterCompletion(Consumer<Outcome> action) {
            try {
                if (transaction.getStatus() != Status.STATUS_ACTIVE) {
                    return false;
                }
                transaction.registerSynchronization(new Synchronization() {
                    @Override
                    public void beforeCompletion() {
                    }

                    @Override
                    public void afterCompletion(int status) {
                        runDetached(action, status == Status.STATUS_COMMITTED ? Outcome.COMMITTED
                                : status == Status.STATUS_ROLLEDBACK ? Outcome.ROLLED_BACK : Outcome.UNKNOWN);
                    }
                });
                return true;
            } catch (RollbackException | IllegalStateException e) {
                return false;
            } catch (SystemException e) {
                throw new ApiLockException("Could not register with the caller's JTA transaction: " + e.getMessage(), e);
            }
        }

        @Override
        public boolean isCurrent() {
            try {
                return transaction.equals(transactionManager.getTransaction());
            } catch (SystemException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return "JTA transaction " + transaction;
        }
    }

    /**
     * In afterCompletion the committing thread may still be associated with the finished
     * transaction (Narayana's is), and a transaction timeout completes it on the reaper's thread:
     * the release runs on a thread of apilock's, with no transaction, while this one waits for it.
     */
    private static void runDetached(Consumer<CallerTransaction.Outcome> action, CallerTransaction.Outcome outcome) {
        Future<?> release = Detached.EXECUTOR.submit(() -> action.accept(outcome));
        try {
            release.get(RELEASE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("Releasing a lock after its caller's JTA transaction completed failed", e.getCause());
        } catch (TimeoutException e) {
            log.warn("Releasing a lock after its caller's JTA transaction completed takes over {} s;"
                    + " it goes on in the background", RELEASE_WAIT_SECONDS);
        }
    }

    /** Created on first use. */
    private static final class Detached {
        static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(new java.util.concurrent.ThreadFactory() {
            private final AtomicInteger count = new AtomicInteger();

            @Override
            public Thread newThread(Runnable task) {
                Thread thread = new Thread(task, "apilock-after-completion-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            }
        });
    }
}

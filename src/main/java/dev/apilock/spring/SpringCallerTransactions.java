package dev.apilock.spring;

import dev.apilock.store.CallerTransaction;
import dev.apilock.store.CallerTransactions;
import java.util.function.Consumer;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The caller's Spring-managed transaction ({@code @Transactional}, {@code TransactionTemplate},
 * any {@code PlatformTransactionManager}), seen through Spring's transaction synchronization.
 * Loaded by apilock only when spring-tx is on the class path; not for use by applications.
 */
public final class SpringCallerTransactions implements CallerTransactions {

    @Override
    public CallerTransaction current() {
        return TransactionSynchronizationManager.isSynchronizationActive()
                && TransactionSynchronizationManager.isActualTransactionActive() ? new Spring() : null;
    }

    private static final class Spring implements CallerTransaction {

        private TransactionSynchronization registered;

        @Override
        public boolean runAfterCompletion(Consumer<Outcome> action) {
            if (!TransactionSynchronizationManager.isSynchronizationActive()) {
                return false;
            }
            // Spring calls afterCompletion on the committing thread once the transaction manager has
            // committed or rolled back; the caller's connection is handed back to the pool only after.
            registered = new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    action.accept(status == STATUS_COMMITTED ? Outcome.COMMITTED
                            : status == STATUS_ROLLED_BACK ? Outcome.ROLLED_BACK : Outcome.UNKNOWN);
                }
            };
            TransactionSynchronizationManager.registerSynchronization(registered);
            return true;
        }

        /** Spring suspends a transaction's synchronizations with it: ours is current only in its own. */
        @Override
        public boolean isCurrent() {
            return registered != null && TransactionSynchronizationManager.isSynchronizationActive()
                    && TransactionSynchronizationManager.getSynchronizations().contains(registered);
        }

        @Override
        public String toString() {
            String name = TransactionSynchronizationManager.getCurrentTransactionName();
            return "Spring-managed transaction" + (name == null ? "" : " " + name);
        }
    }
}

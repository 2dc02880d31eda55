package dev.apilock.store;

import jakarta.transaction.TransactionManager;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Finds the caller's transaction on the current thread, where apilock can see one: through the
 * persistence unit's JTA {@link TransactionManager}, and through Spring's transaction
 * synchronization when spring-tx is on the class path. A caller's plain resource-local
 * {@code EntityManager} transaction is invisible to apilock.
 */
@FunctionalInterface
public interface CallerTransactions {

    /** The caller's active transaction on this thread, or null if there is none apilock can see. */
    CallerTransaction current();

    /** Where apilock looks: JTA first (Spring's JtaTransactionManager runs on it), then Spring. */
    static CallerTransactions of(TransactionManager transactionManager) {
        List<CallerTransactions> sources = new ArrayList<>();
        if (transactionManager != null) {
            sources.add(new JtaCallerTransactions(transactionManager));
        }
        CallerTransactions spring = spring();
        if (spring != null) {
            sources.add(spring);
        }
        return () -> {
            for (CallerTransactions source : sources) {
                CallerTransaction current = source.current();
                if (current != null) {
                    return current;
                }
            }
            return null;
        };
    }

    /** Spring's, if spring-tx is on the class path; loaded only then. */
    private static CallerTransactions spring() {
        ClassLoader loader = CallerTransactions.class.getClassLoader();
        try {
            Class.forName("org.springframework.transaction.support.TransactionSynchronizationManager", false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        try {
            return (CallerTransactions) Class.forName("dev.apilock.spring.SpringCallerTransactions", true, loader)
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            LoggerFactory.getLogger(CallerTransactions.class).warn(
                    "spring-tx is on the class path but apilock cannot use it; locks taken inside Spring-managed"
                            + " transactions are released when execute returns: {}", e.toString());
            return null;
        }
    }
}

package dev.apilock.store;

import java.util.function.Consumer;

/**
 * A transaction of the caller's that apilock can see (JTA, or Spring-managed), so that a lock
 * taken inside it can be released only once it has completed: the caller's writes are committed
 * (or rolled back) before anyone else may take the lock.
 */
public interface CallerTransaction {

    /** How the caller's transaction ended. */
    enum Outcome {
        COMMITTED, ROLLED_BACK, UNKNOWN
    }

    /**
     * Arranges for {@code action} to run once, after the transaction has completed, on a thread
     * with no transaction of the caller's. False if that cannot be arranged (the transaction is
     * already completing, or can only roll back): the caller's writes can then never commit, and
     * the lock may go at once.
     */
    boolean runAfterCompletion(Consumer<Outcome> action);

    /** Whether this is the transaction active on the current thread now. */
    boolean isCurrent();
}

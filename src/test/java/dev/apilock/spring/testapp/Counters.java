package dev.apilock.spring.testapp;

import dev.apilock.CurrentLock;
import dev.apilock.LockHandle;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The work the locked methods share: read a counter, let the test look (or stop) inside, write it
 * back, and note what the method saw of its lock and its transaction.
 */
@Component
public class Counters {

    /** What one call saw inside the method and at its transaction's commit. */
    public record Seen(LockHandle lock, boolean inTransaction, boolean coveredAtAcquire, String transactionName) {
    }

    @PersistenceContext
    private EntityManager entityManager;

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile Consumer<LockHandle> inside = lock -> { };
    private volatile Consumer<LockHandle> afterCommit = lock -> { };

    public long increment(String name) {
        LockHandle lock = CurrentLock.handle();
        boolean inTransaction = TransactionSynchronizationManager.isActualTransactionActive();
        seen.add(new Seen(lock, inTransaction, lock.coversCallerTransaction(),
                String.valueOf(TransactionSynchronizationManager.getCurrentTransactionName())));
        Counter counter = entityManager.find(Counter.class, name);
        if (counter == null) {
            counter = new Counter(name);
            entityManager.persist(counter);
        }
        long before = counter.getValue();
        inside.accept(lock);
        counter.increment(lock.fencingToken());
        if (inTransaction) {
            Consumer<LockHandle> check = afterCommit;
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    check.accept(lock);
                }
            });
        }
        return before + 1;
    }

    public List<Seen> seen() {
        return seen;
    }

    /** Runs inside each locked method, between the read and the write. */
    public void inside(Consumer<LockHandle> action) {
        inside = action;
    }

    /** Runs after each locked method's transaction has committed. */
    public void afterCommit(Consumer<LockHandle> action) {
        afterCommit = action;
    }

    public void reset() {
        seen.clear();
        inside = lock -> { };
        afterCommit = lock -> { };
    }
}

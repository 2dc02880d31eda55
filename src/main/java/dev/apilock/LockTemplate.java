package dev.apilock;

import com.github.f4b6a3.ulid.UlidCreator;
import dev.apilock.LockHandle.ReleasedWhen;
import dev.apilock.store.AcquireAttempt;
import dev.apilock.store.ApiLockRepository;
import dev.apilock.store.CallerTransaction;
import dev.apilock.store.Deadline;
import dev.apilock.store.NewLock;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs callbacks while holding a database lock: acquire, run, release in {@code finally}.
 *
 * <p>Thread-safe; create one per {@link EntityManagerFactory} and share it. Lock operations run
 * in short transactions of their own on their own connections, never in the caller's, in every
 * host (resource-local with auto-commit on or off, Spring-managed, JTA: the caller's JTA
 * transaction is suspended around them): the lock is visible to every other process as soon as
 * {@code execute} calls the callback, and nothing the caller's transaction does can hide or undo
 * it. Expiry is judged by the database clock only.
 *
 * <p><b>The lock covers the caller's commit.</b> When {@code execute} is called inside a
 * transaction apilock can see (JTA, or Spring-managed with spring-tx on the class path), the lock
 * is released only once that transaction has committed or rolled back, so that its writes are
 * committed before another process may take the lock; keep-alive goes on until then. Another
 * {@code execute} of the same type in that same transaction runs under the lock already held.
 * A transaction apilock cannot see (an {@code EntityManager} of the caller's own, resource-local)
 * must begin inside the callback and end before it returns.
 *
 * <p>{@code execute} without a wait fails fast; with one it retries with capped, jittered
 * exponential backoff (10 ms doubling to 500 ms) until acquired or the wait is over. No fairness
 * is promised between waiters.
 *
 * <p>Locks of a type {@link LockType#withKeepAlive() with keep-alive} are extended in the
 * background while their callback runs; see {@link LockHandle#isHeld()}.
 *
 * <p>Locks are not reentrant: a callback that asks for a lock type its own thread already holds
 * through this template is refused at once with {@link ApiLockAcquireException}. Through another
 * template (another application instance, to the lock) it is an ordinary conflict, refused after
 * one attempt even when a wait was given: a thread never waits for itself.
 */
public class LockTemplate implements LockOperations {

    private static final Logger log = LoggerFactory.getLogger(LockTemplate.class);

    /** Longest wait accepted by {@link #execute(LockType, String, String, Duration, LockCallback)}. */
    public static final Duration MAX_WAIT = Duration.ofDays(1);

    private final ApiLockRepository repository;
    private final LockListener listener;
    /** The bound of every operation, or null for one derived from each type's expiry. */
    private final Duration operationTimeout;

    /**
     * Locks the current thread holds, through any template in this JVM, by type name. Through
     * this same template a re-entry is refused without asking the database; through another
     * (another "instance" on the same database) it is an ordinary conflict, but never waits for
     * itself.
     */
    private static final ThreadLocal<Map<String, HeldLock>> HELD_BY_THREAD =
            ThreadLocal.withInitial(ConcurrentHashMap::new); // a lock that waits for a JTA transaction may go on another thread

    /**
     * @param entityManagerFactory a Hibernate factory whose persistence unit holds
     *                             {@link dev.apilock.store.ApiLockEntity}, on a database migrated with
     *                             apilock's changelog: the host's own, or apilock's on a pool of its own
     *                             ({@link ApiLockPersistence})
     * @throws ApiLockSetupException the factory is not Hibernate's or does not manage ApiLockEntity
     */
    public LockTemplate(EntityManagerFactory entityManagerFactory) {
        this(entityManagerFactory, LockListener.NONE);
    }

    /** As {@link #LockTemplate(EntityManagerFactory)}, telling {@code listener} what happens to locks. */
    public LockTemplate(EntityManagerFactory entityManagerFactory, LockListener listener) {
        this(builder(entityManagerFactory).listener(listener));
    }

    private LockTemplate(Builder builder) {
        if (builder.entityManagerFactory == null) {
            throw new ApiLockSetupException("EntityManagerFactory must not be null");
        }
        if (builder.listener == null) {
            throw new ApiLockSetupException("LockListener must not be null; use LockListener.NONE");
        }
        this.operationTimeout = builder.operationTimeout;
        this.repository = new ApiLockRepository(builder.entityManagerFactory,
                operationTimeout == null ? ApiLockRepository.DEFAULT_TIMEOUT : operationTimeout);
        this.listener = new CompositeLockListener(List.of(builder.listener));
    }

    /** A template to configure beyond the constructors: a listener, a bound on every operation. */
    public static Builder builder(EntityManagerFactory entityManagerFactory) {
        return new Builder(entityManagerFactory);
    }

    /** Builds a {@link LockTemplate}. Not thread-safe; the template it builds is. */
    public static final class Builder {

        private final EntityManagerFactory entityManagerFactory;
        private LockListener listener = LockListener.NONE;
        private Duration operationTimeout;

        private Builder(EntityManagerFactory entityManagerFactory) {
            this.entityManagerFactory = entityManagerFactory;
        }

        /** Tells {@code listener} what happens to locks. */
        public Builder listener(LockListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * The longest any lock operation waits for the database (acquire, each attempt of a wait,
         * release, extend; a keep-alive never waits longer than a third of the expiry), however
         * silently the network drops its packets; the pool's own wait for a connection comes on top.
         * By default a third of the lock type's expiry, between 1 and 30 seconds.
         *
         * @throws ApiLockSetupException not positive, or over ten minutes
         */
        public Builder operationTimeout(Duration operationTimeout) {
            this.operationTimeout = Timeouts.require(operationTimeout);
            return this;
        }

        public LockTemplate build() {
            return new LockTemplate(this);
        }
    }

    @Override
    public <T> T execute(LockType type, String referenceId, String user, LockCallback<T> callback) {
        return execute(type, referenceId, user, Duration.ZERO, callback);
    }

    @Override
    public <T> T execute(LockType type, String referenceId, String user, Duration maxWait,
                         LockCallback<T> callback) {
        checkRequest(type, referenceId, user, maxWait, callback);
        Map<String, HeldLock> held = HELD_BY_THREAD.get();
        HeldLock already = held.get(type.name());
        if (already != null && already.servesAgainIn(repository)) {
            return runCallback(already, callback);
        }
        CallerTransaction caller = repository.callerTransactions().current();
        HeldLock lock = acquire(type, referenceId, user, maxWait, caller);
        HeldLock outer = held.putIfAbsent(type.name(), lock);
        if (type.keepAlive()) {
            lock.keepAlive(KeepAlive.start(lock));
        }
        Throwable failure = null;
        try {
            return runCallback(lock, callback);
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            if (caller == null || !releaseAfter(caller, lock, held, outer == null)) {
                if (outer == null) {
                    held.remove(type.name(), lock);
                }
                release(lock, failure, ReleasedWhen.CALLBACK_RETURNED);
            }
        }
    }

    private static <T> T runCallback(HeldLock lock, LockCallback<T> callback) {
        lock.callbackStarted();
        try {
            return callback.doInLock(lock);
        } finally {
            lock.callbackEnded();
        }
    }

    /**
     * Leaves the lock held until the caller's transaction completes. False if that cannot be
     * arranged because the transaction can only roll back, or has already completed: its writes can
     * then never commit, and the lock may go at once.
     */
    private boolean releaseAfter(CallerTransaction caller, HeldLock lock, Map<String, HeldLock> held, boolean owner) {
        boolean registered;
        try {
            registered = caller.runAfterCompletion(outcome -> {
                if (owner) {
                    held.remove(lock.type().name(), lock);
                }
                release(lock, null, switch (outcome) {
                    case COMMITTED -> ReleasedWhen.CALLER_COMMITTED;
                    case ROLLED_BACK -> ReleasedWhen.CALLER_ROLLED_BACK;
                    case UNKNOWN -> ReleasedWhen.CALLER_COMPLETED;
                });
            });
        } catch (RuntimeException e) {
            log.warn("Lock {} of type {} cannot wait for the caller's {}; releasing it now: {}",
                    lock.lockId(), lock.type().name(), caller, e.getMessage());
            return false;
        }
        if (registered) {
            lock.awaitCaller();
            log.debug("Lock {} of type {} stays held until the caller's {} completes", lock.lockId(),
                    lock.type().name(), caller);
        } else {
            log.debug("Lock {} of type {}: the caller's {} can only roll back; releasing now", lock.lockId(),
                    lock.type().name(), caller);
        }
        return registered;
    }

    private void checkRequest(LockType type, String referenceId, String user, Duration maxWait,
                              LockCallback<?> callback) {
        if (type == null) {
            throw new ApiLockSetupException("Lock type must not be null");
        }
        LockArguments.text("Reference id", referenceId);
        LockArguments.text("User", user);
        LockArguments.maxWait(maxWait);
        if (callback == null) {
            throw new ApiLockSetupException("Lock callback must not be null");
        }
        HeldLock reentered = HELD_BY_THREAD.get().get(type.name());
        if (reentered != null && reentered.heldThrough(repository) && !reentered.servesAgainIn(repository)) {
            throw new ApiLockAcquireException(type, reentered.row(), null, reentered.callerTransaction() == null
                    ? "The calling thread already holds this lock: apilock locks are not reentrant."
                    : "The calling thread already holds this lock until its transaction completes:"
                            + " apilock locks are not reentrant.");
        }
    }

    /** Tries until acquired or {@code maxWait} has passed; each attempt is a new row id. */
    private HeldLock acquire(LockType type, String referenceId, String user, Duration maxWait, CallerTransaction caller) {
        long start = System.nanoTime();
        Backoff backoff = null;
        for (int attempts = 1; ; attempts++) {
            String lockId = UlidCreator.getMonotonicUlid().toString();
            long sent = System.nanoTime();
            AcquireAttempt attempt = repository.tryAcquire(
                    new NewLock(lockId, type.name(), type.expiresAfter().toSeconds(), user, referenceId),
                    Deadline.after(Timeouts.forLock(type, operationTimeout)));
            if (attempt.reclaimed() != null) {
                log.info("Lock {} of type {} held by {} (reference {}) expired at {} unreleased and was reclaimed",
                        attempt.reclaimed().lockId(), type.name(), attempt.reclaimed().user(),
                        attempt.reclaimed().referenceId(), attempt.reclaimed().expiresAt());
                listener.expiredAndReclaimed(type, attempt.reclaimed());
            }
            if (attempt.acquired()) {
                HeldLock lock = new HeldLock(type, attempt.holder(), attempt.databaseNow(), sent, caller,
                        repository, listener, operationTimeout);
                log.debug("Acquired lock {} of type {} with fencing token {} for user {}, reference {},"
                        + " expires at {}", lockId, type.name(), lock.fencingToken(), user, referenceId,
                        lock.expiresAt());
                listener.acquired(lock, Duration.ofNanos(System.nanoTime() - start));
                return lock;
            }
            log.debug("Lock {} of type {} refused, held by {}", lockId, type.name(), attempt.holder());
            listener.blocked(type, Optional.ofNullable(attempt.holder()));

            long waited = System.nanoTime() - start;
            long left = maxWait.toNanos() - waited;
            if (left <= 0) {
                throw refusal(type, attempt, attempts == 1 ? null
                        : "Gave up after waiting " + seconds(waited) + " (" + attempts + " attempts).");
            }
            if (HELD_BY_THREAD.get().containsKey(type.name())) {
                throw refusal(type, attempt, "The calling thread holds this lock type itself, through another"
                        + " LockTemplate: not waiting for itself.");
            }
            backoff = backoff == null ? new Backoff() : backoff;
            try {
                Thread.sleep(Math.max(1, Math.min(backoff.nextDelayMillis(), TimeUnit.NANOSECONDS.toMillis(left))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw refusal(type, attempt, "Interrupted while waiting, after " + seconds(System.nanoTime() - start)
                        + " (" + attempts + " attempts).");
            }
        }
    }

    private static ApiLockAcquireException refusal(LockType type, AcquireAttempt attempt, String detail) {
        return new ApiLockAcquireException(type, attempt.holder(), attempt.holderTimeLeft(), detail);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** Never throws: a lock that cannot be released expires by itself. */
    private void release(HeldLock lock, Throwable failure, ReleasedWhen when) {
        try {
            boolean released = lock.releasing(() -> repository.release(lock.type().name(), lock.lockId(),
                    Deadline.after(Timeouts.forLock(lock.type(), operationTimeout))));
            if (released) {
                lock.releasedWhen(when);
                log.debug("Released lock {} of type {} {}", lock.lockId(), lock.type().name(), describe(when));
                listener.released(lock, lock.heldFor());
            } else {
                log.warn("Lock {} of type {} was no longer held at release ({}): it expired (at {} by its lease)"
                        + " and was reclaimed, an operator released it, or the database lost it (a failover, a step"
                        + " of its clock)", lock.lockId(), lock.type().name(), describe(when), lock.expiresAt());
                lock.markLost("its row had already been reclaimed or force-released at release");
            }
        } catch (RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
            log.warn("Could not release lock {} of type {} ({}); it expires by itself at {}: {}",
                    lock.lockId(), lock.type().name(), describe(when), lock.expiresAt(), e.getMessage());
            listener.releaseFailed(lock, e);
        }
    }

    private static String describe(ReleasedWhen when) {
        return switch (when) {
            case CALLBACK_RETURNED -> "as its callback returned";
            case CALLER_COMMITTED -> "after the caller's transaction committed";
            case CALLER_ROLLED_BACK -> "after the caller's transaction rolled back";
            case CALLER_COMPLETED -> "after the caller's transaction completed";
        };
    }
}

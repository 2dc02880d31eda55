package dev.apilock;

import dev.apilock.store.ApiLockRepository;
import dev.apilock.store.CallerTransaction;
import dev.apilock.store.Deadline;
import dev.apilock.store.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The handle given to a callback: a lock this process acquired. Extensions (by the callback or
 * the keep-alive) and the release are serialised by a lock of its own, so none overlaps another.
 */
final class HeldLock implements LockHandle {

    private final LockType type;
    private final LockInfo row;
    private final ApiLockRepository repository;
    private final LockListener listener;
    private final long acquiredNanos;
    private final ReentrantLock writes = new ReentrantLock();
    /** The template's bound on operations, or null for one derived from the expiry. */
    private final Duration operationTimeout;

    private volatile Instant expiresAt;
    /** Monotonic-clock instant by which the database has surely let the lock go. */
    private volatile long leaseEndNanos;
    private volatile String lostReason;
    private volatile boolean released;
    private volatile ReleasedWhen releasedWhen;

    /** The caller's transaction that the release waits for, or null. */
    private final CallerTransaction callerTransaction;
    /** Whether a callback is running with this handle: re-entering then is refused. */
    private volatile boolean inCallback;
    /** Set once the callback returned while the release waits for the caller's transaction. */
    private volatile boolean awaitingCaller;
    private volatile Runnable stopKeepAlive;

    /**
     * @param sentNanos   {@link System#nanoTime()} just before the acquisition was sent
     * @param databaseNow the database clock during the acquisition
     */
    HeldLock(LockType type, LockInfo row, Instant databaseNow, long sentNanos, CallerTransaction callerTransaction,
             ApiLockRepository repository, LockListener listener, Duration operationTimeout) {
        this.operationTimeout = operationTimeout;
        this.type = type;
        this.callerTransaction = callerTransaction;
        this.row = row;
        this.repository = repository;
        this.listener = listener;
        this.acquiredNanos = System.nanoTime();
        this.expiresAt = row.expiresAt();
        this.leaseEndNanos = sentNanos + Duration.between(databaseNow, row.expiresAt()).toNanos();
    }

    LockInfo row() {
        return row;
    }

    /** Whether this lock was taken through the template that owns {@code repository}. */
    boolean heldThrough(ApiLockRepository repository) {
        return this.repository == repository;
    }

    CallerTransaction callerTransaction() {
        return callerTransaction;
    }

    /**
     * Whether a later {@code execute} of the same type on this thread may run under this lock: its
     * callback has returned and the lock waits for the caller's transaction, which is the current one.
     */
    boolean servesAgainIn(ApiLockRepository repository) {
        return heldThrough(repository) && awaitingCaller && !inCallback && !released && callerTransaction.isCurrent();
    }

    void callbackStarted() {
        inCallback = true;
    }

    void callbackEnded() {
        inCallback = false;
    }

    void awaitCaller() {
        awaitingCaller = true;
    }

    void keepAlive(Runnable stop) {
        this.stopKeepAlive = stop;
    }

    void stopKeepAlive() {
        Runnable stop = stopKeepAlive;
        if (stop != null) {
            stop.run();
        }
    }

    void releasedWhen(ReleasedWhen when) {
        this.releasedWhen = when;
    }

    @Override
    public boolean coversCallerTransaction() {
        return callerTransaction != null;
    }

    @Override
    public Optional<ReleasedWhen> releasedWhen() {
        return Optional.ofNullable(releasedWhen);
    }

    Duration heldFor() {
        return Duration.ofNanos(System.nanoTime() - acquiredNanos);
    }

    @Override
    public String lockId() {
        return row.lockId();
    }

    @Override
    public long fencingToken() {
        return row.fencingToken();
    }

    @Override
    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public LockType type() {
        return type;
    }

    @Override
    public boolean extend(Duration expiresAfter) {
        return extend(expiresAfter, Timeouts.forLock(type, operationTimeout));
    }

    /** The keep-alive's extension: bounded so that a tick without an answer is lost before the lease. */
    boolean keepAlive() {
        return extend(type.expiresAfter(), keepAliveBound());
    }

    /** How long a keep-alive tick may take before the lock counts as lost. */
    Duration keepAliveBound() {
        return Timeouts.forKeepAlive(type, operationTimeout);
    }

    private boolean extend(Duration expiresAfter, Duration bound) {
        long seconds = new LockType(type.name(), expiresAfter).expiresAfter().toSeconds();
        writes.lock();
        try {
            if (lostReason != null || released) {
                return false;
            }
            long sentNanos = System.nanoTime();
            Optional<Lease> lease;
            try {
                lease = repository.extend(type.name(), lockId(), seconds, Deadline.after(bound));
            } catch (ApiLockException e) {
                markLost("the extension failed: " + e.getMessage());
                throw e;
            }
            if (lease.isEmpty()) {
                markLost("it had expired, been taken over or been force-released when it was to be extended");
                return false;
            }
            expiresAt = lease.get().expiresAt();
            leaseEndNanos = sentNanos + Duration.between(lease.get().databaseNow(), expiresAt).toNanos();
            listener.extended(this, expiresAt);
            return true;
        } finally {
            writes.unlock();
        }
    }

    @Override
    public boolean isHeld() {
        return lostReason == null && !released && System.nanoTime() - leaseEndNanos < 0;
    }

    @Override
    public void checkHeld() {
        if (!isHeld()) {
            String why = lostReason != null ? lostReason
                    : released ? "it has been released"
                    : "its lease ran out at " + expiresAt + " without an extension";
            throw new ApiLockLostException(lockId(), "Lock " + lockId() + " of type " + type.name()
                    + " is no longer held: " + why);
        }
    }

    /** Marks the handle lost, once, and tells the listener. */
    void markLost(String reason) {
        if (lostReason == null) {
            lostReason = reason;
            listener.lost(this, reason);
        }
    }

    /** Runs the release after any extension in flight; the handle is released afterwards either way. */
    <R> R releasing(java.util.function.Supplier<R> release) {
        stopKeepAlive();
        writes.lock();
        try {
            return release.get();
        } finally {
            released = true;
            writes.unlock();
        }
    }

    @Override
    public String toString() {
        return "lock " + row.lockId() + " of type " + type.name() + " (fencing token " + row.fencingToken()
                + ", expires at " + expiresAt + ")";
    }
}

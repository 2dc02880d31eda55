package dev.apilock;

import dev.apilock.store.LockAdminRepository;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator does with locks: see who holds what, read the history, release a lock whose
 * holder is stuck, and purge old history.
 *
 * <p>Thread-safe; one per {@link EntityManagerFactory} is enough. Like {@link LockTemplate},
 * every call runs in a short transaction of its own on its own connection, never in the caller's,
 * and "active", "expired" and "older than" are judged by the database clock only. Invalid
 * arguments throw {@link ApiLockSetupException} naming the value before the database is touched;
 * database failures throw {@link ApiLockException}.
 *
 * <p>An operator's release ({@link #release}, {@link #forceRelease}) marks the row released with
 * reason {@link LockInfo.ReleaseReason#FORCED} and lets the next acquirer in at once. It does not
 * stop the holder: a holder still running keeps working, and its own release later finds its row
 * already released. Pass fencing tokens to what you protect, so that it refuses the old holder.
 */
public final class LockAdmin {

    private static final Logger log = LoggerFactory.getLogger(LockAdmin.class);

    /** Most rows {@link #history} returns at once. */
    public static final int MAX_HISTORY_LIMIT = 100_000;

    /** Longest age {@link #purge} accepts: about a century. */
    public static final Duration MAX_PURGE_AGE = Duration.ofDays(36_500);

    private static final int FORCE_RELEASE_ATTEMPTS = 3;

    /** How long a call waits for the database at most, unless told otherwise. */
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(30);

    private final LockAdminRepository repository;

    /**
     * @param entityManagerFactory a factory whose persistence unit holds
     *                             {@link dev.apilock.store.ApiLockEntity}, on a migrated database
     */
    public LockAdmin(EntityManagerFactory entityManagerFactory) {
        this(entityManagerFactory, DEFAULT_OPERATION_TIMEOUT);
    }

    /**
     * As {@link #LockAdmin(EntityManagerFactory)}, every call returning within {@code operationTimeout}
     * (plus the pool's own wait for a connection), however silent the network.
     */
    public LockAdmin(EntityManagerFactory entityManagerFactory, Duration operationTimeout) {
        if (entityManagerFactory == null) {
            throw new ApiLockSetupException("EntityManagerFactory must not be null");
        }
        this.repository = new LockAdminRepository(entityManagerFactory, Timeouts.require(operationTimeout));
    }

    /** Every lock held now (unreleased and unexpired), newest first. */
    public List<LockInfo> active() {
        return repository.findActive();
    }

    /** The lock of {@code typeName} held now, if any. */
    public Optional<LockInfo> active(String typeName) {
        return repository.findActive(LockType.requireName(typeName));
    }

    /** The newest {@code limit} acquisitions of every type, newest first, with what became of them. */
    public List<LockInfo> history(int limit) {
        return repository.findHistory(null, LockArguments.historyLimit(limit));
    }

    /** The newest {@code limit} acquisitions of {@code typeName}, newest first. */
    public List<LockInfo> history(String typeName, int limit) {
        LockType.requireName(typeName);
        return repository.findHistory(typeName, LockArguments.historyLimit(limit));
    }

    /** The row of a lock id, whatever its state; empty if there is no such lock (or it was purged). */
    public Optional<LockInfo> find(String lockId) {
        return repository.find(LockArguments.lockId(lockId));
    }

    /**
     * Releases a lock by its id, as an operator: reason {@code FORCED}.
     *
     * @return the released row; empty if the lock had already been released (by its holder, by
     *         reclaim after expiry or by another operator)
     * @throws ApiLockSetupException a blank or malformed id, or one that names no lock
     */
    public Optional<LockInfo> release(String lockId) {
        String id = LockArguments.lockId(lockId);
        if (repository.forceRelease(id)) {
            LockInfo released = repository.find(id).orElseThrow(() -> new ApiLockException(
                    "Lock " + id + " was released but its row vanished at once; was it purged meanwhile?"));
            logForced(released);
            return Optional.of(released);
        }
        if (repository.find(id).isEmpty()) {
            throw new ApiLockSetupException("Unknown lock id '" + id + "': no such lock (or its history was purged)");
        }
        return Optional.empty();
    }

    /**
     * Releases whatever lock of {@code typeName} is held now, as an operator: reason {@code FORCED}.
     *
     * @return the released row; empty if no lock of the type was held
     */
    public Optional<LockInfo> forceRelease(String typeName) {
        LockType.requireName(typeName);
        // Retried only when the holder changed between our read and our update.
        for (int attempt = 1; attempt <= FORCE_RELEASE_ATTEMPTS; attempt++) {
            Optional<LockInfo> holder = repository.findActive(typeName);
            if (holder.isEmpty()) {
                return Optional.empty();
            }
            if (repository.forceRelease(holder.get().lockId())) {
                LockInfo released = repository.find(holder.get().lockId()).orElse(holder.get());
                logForced(released);
                return Optional.of(released);
            }
        }
        throw new ApiLockException("Could not force-release lock type " + typeName + ": its holder changed "
                + FORCE_RELEASE_ATTEMPTS + " times while releasing");
    }

    /**
     * Deletes history: every row acquired more than {@code olderThan} ago by the database clock
     * that is released or expired. A lock held now is never deleted, however old.
     *
     * @param olderThan a whole number of seconds, from 1 second to {@link #MAX_PURGE_AGE}
     * @return the number of rows deleted
     */
    public int purge(Duration olderThan) {
        LockArguments.purgeAge(olderThan);
        int deleted = repository.purge(olderThan.toSeconds());
        log.info("Purged {} lock rows released or expired and acquired more than {} ago", deleted, olderThan);
        return deleted;
    }

    /** The database clock now: what "active" and "expires in" are measured against. */
    public Instant databaseNow() {
        return repository.databaseNow();
    }

    private static void logForced(LockInfo lock) {
        log.warn("Lock {} of type {} force-released by an operator; it was held by {} for reference {}"
                        + " (fencing token {}, acquired at {}, expiring at {})",
                lock.lockId(), lock.lockType(), lock.user(), lock.referenceId(), lock.fencingToken(),
                lock.acquiredAt(), lock.expiresAt());
    }
}

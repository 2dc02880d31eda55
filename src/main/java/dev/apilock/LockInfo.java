package dev.apilock;

import java.time.Instant;

/**
 * One lock row: an acquisition and what became of it. Timestamps are the database's.
 *
 * @param lockId        the acquisition's ULID
 * @param lockType      the lock type's name
 * @param user          who acquired it ({@code locked_by})
 * @param referenceId   the request or correlation id given at acquisition
 * @param acquiredAt    when it was acquired, by the database clock
 * @param expiresAt     when it expires (or expired), by the database clock
 * @param fencingToken  strictly larger than the token of every earlier holder of the same type
 * @param released      whether it has been released (by its holder, an operator or reclaim)
 * @param releasedAt    when it was released, or null while unreleased
 * @param releaseReason why it was released, or null while unreleased
 */
public record LockInfo(
        String lockId,
        String lockType,
        String user,
        String referenceId,
        Instant acquiredAt,
        Instant expiresAt,
        long fencingToken,
        boolean released,
        Instant releasedAt,
        ReleaseReason releaseReason) {

    /** Why a lock row was released. */
    public enum ReleaseReason {
        /** Its holder released it. */
        RELEASED,
        /** It outlived its expiry unreleased (its holder crashed or overran) and was reclaimed. */
        EXPIRED,
        /** An operator released it. */
        FORCED
    }

    /** Whether the lock still holds at {@code databaseNow}: unreleased and not yet expired. */
    public boolean activeAt(Instant databaseNow) {
        return !released && expiresAt.isAfter(databaseNow);
    }
}

package dev.apilock;

import java.time.Instant;

/** The handle given to a callback: a lock this process acquired. */
final class HeldLock implements LockHandle {

    private final LockType type;
    private final LockInfo row;

    HeldLock(LockType type, LockInfo row) {
        this.type = type;
        this.row = row;
    }

    LockInfo row() {
        return row;
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
        return row.expiresAt();
    }

    @Override
    public LockType type() {
        return type;
    }

    @Override
    public String toString() {
        return "lock " + row.lockId() + " of type " + type.name() + " (fencing token " + row.fencingToken()
                + ", expires at " + row.expiresAt() + ")";
    }
}

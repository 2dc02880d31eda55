package dev.apilock.bench;

/** One application instance's handle on a lock library. */
interface LockClient {

    /**
     * One fail-fast lock cycle: acquire {@code type}, run {@code inLock}, release. Returns false,
     * without running {@code inLock}, if another instance holds the lock.
     */
    boolean cycle(String type, Runnable inLock) throws Exception;
}

package dev.apilock.bench;

/** One timed attempt, e.g. a lock cycle. */
@FunctionalInterface
interface Operation {

    /** Returns true if the attempt succeeded (the lock was taken), false if it was refused. */
    boolean run() throws Exception;
}

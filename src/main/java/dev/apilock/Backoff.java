package dev.apilock;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between acquisition attempts while waiting: doubling from {@value #FIRST_MILLIS} ms up
 * to {@value #MAX_MILLIS} ms, each drawn at random from the upper half of its step, so that many
 * waiters spread out instead of retrying in lockstep. Not thread-safe: one per wait.
 */
final class Backoff {

    static final long FIRST_MILLIS = 10;
    static final long MAX_MILLIS = 500;

    private long step = FIRST_MILLIS;

    /** The next delay in milliseconds, in {@code [step/2, step]}. */
    long nextDelayMillis() {
        long delay = ThreadLocalRandom.current().nextLong(step / 2, step + 1);
        step = Math.min(MAX_MILLIS, step * 2);
        return delay;
    }
}

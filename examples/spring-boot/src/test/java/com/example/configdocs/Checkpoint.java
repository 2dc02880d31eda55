package com.example.configdocs;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** A point in the application's code where a test stops one request, or slows every request. */
final class Checkpoint {

    private final AtomicReference<Hold> next = new AtomicReference<>();
    private volatile Duration delay = Duration.ZERO;

    /** The next request to pass stops here until the hold is released. */
    Hold holdNext() {
        Hold hold = new Hold();
        next.set(hold);
        return hold;
    }

    /** Every request sleeps this long here: widens the windows that races need. */
    void delayEach(Duration delay) {
        this.delay = delay;
    }

    void reset() {
        Hold hold = next.getAndSet(null);
        if (hold != null) {
            hold.release();
        }
        delay = Duration.ZERO;
    }

    /** Called by the application's code. */
    void pass() {
        Hold hold = next.getAndSet(null);
        try {
            if (hold != null) {
                hold.stopHere();
            }
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted at a checkpoint", e);
        }
    }

    static final class Hold {

        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        /** Waits until {@code request} stands at the checkpoint; fails if it was answered without. */
        void awaitReached(Future<?> request) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!reached.await(50, TimeUnit.MILLISECONDS)) {
                if (request.isDone()) {
                    throw new AssertionError("The request was answered without reaching the checkpoint: " + request.get());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("The request did not reach the checkpoint within 30 s");
                }
            }
        }

        void release() {
            released.countDown();
        }

        private void stopHere() throws InterruptedException {
            reached.countDown();
            if (!released.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("A request was held at a checkpoint for 60 s and never released");
            }
        }
    }
}

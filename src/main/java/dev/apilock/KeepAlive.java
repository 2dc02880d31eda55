package dev.apilock;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extends the locks of keep-alive types while their callbacks run: every third of the type's
 * expiry, to the full expiry from now. Its daemon threads are shared by every template in the
 * JVM; a tick is one short UPDATE.
 */
final class KeepAlive {

    private static final Logger log = LoggerFactory.getLogger(KeepAlive.class);

    private static final long SHORTEST_PERIOD_MILLIS = 100;

    private KeepAlive() {
    }

    /** Starts extending {@code lock}; cancel the returned future to stop. */
    static Future<?> start(HeldLock lock) {
        long period = Math.max(SHORTEST_PERIOD_MILLIS, lock.type().expiresAfter().toMillis() / 3);
        return Scheduler.INSTANCE.scheduleWithFixedDelay(() -> tick(lock), period, period, TimeUnit.MILLISECONDS);
    }

    private static void tick(HeldLock lock) {
        boolean extended;
        try {
            extended = lock.extend(lock.type().expiresAfter());
        } catch (RuntimeException e) {
            log.warn("Keep-alive of lock {} of type {} failed; the lock is marked lost: {}",
                    lock.lockId(), lock.type().name(), e.getMessage());
            throw new Stop();
        }
        if (!extended) {
            log.warn("Keep-alive of lock {} of type {} found it no longer held; the lock is marked lost",
                    lock.lockId(), lock.type().name());
            throw new Stop(); // a periodic task that throws is not run again
        }
    }

    /** Ends a keep-alive schedule; carries no stack trace. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    /** Created on first use, so applications without keep-alive types start no thread. */
    private static final class Scheduler {
        static final ScheduledThreadPoolExecutor INSTANCE = create();

        private static ScheduledThreadPoolExecutor create() {
            AtomicInteger count = new AtomicInteger();
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, task -> {
                Thread thread = new Thread(task, "apilock-keep-alive-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }
    }
}

package dev.apilock;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extends the locks of keep-alive types while they are held: every third of the type's expiry, to
 * the full expiry from now, the next extension a third after the last one returned. A timer thread
 * schedules; the extensions run on threads of their own, so one that waits for a silent network
 * delays no other lock's. An extension still waiting when its bound has passed marks its lock lost at
 * once (see {@link Timeouts#forKeepAlive}), before the lease it meant to extend could run out. The
 * threads are daemons, shared by every template in the JVM, created on first use.
 */
final class KeepAlive {

    private static final Logger log = LoggerFactory.getLogger(KeepAlive.class);

    private static final long SHORTEST_PERIOD_MILLIS = 100;

    private final HeldLock lock;
    private final long periodMillis;
    private volatile boolean stopped;
    private volatile ScheduledFuture<?> next;

    private KeepAlive(HeldLock lock) {
        this.lock = lock;
        this.periodMillis = Math.max(SHORTEST_PERIOD_MILLIS, lock.type().expiresAfter().toMillis() / 3);
    }

    /** Starts extending {@code lock}; run the returned action to stop. */
    static Runnable start(HeldLock lock) {
        KeepAlive keepAlive = new KeepAlive(lock);
        keepAlive.scheduleNext();
        return keepAlive::stop;
    }

    private void scheduleNext() {
        if (!stopped) {
            next = Threads.TIMER.schedule(() -> Threads.WORKERS.execute(this::tick), periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void stop() {
        stopped = true;
        ScheduledFuture<?> scheduled = next;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    private void tick() {
        if (stopped) {
            return;
        }
        long bound = lock.keepAliveBound().toMillis();
        ScheduledFuture<?> watchdog = Threads.TIMER.schedule(() -> {
            if (!stopped) {
                log.warn("Keep-alive of lock {} of type {} got no answer within {} ms; the lock is marked lost",
                        lock.lockId(), lock.type().name(), bound);
                lock.markLost("the keep-alive's extension got no answer within " + bound + " ms");
            }
        }, bound, TimeUnit.MILLISECONDS);
        boolean extended;
        try {
            extended = lock.keepAlive();
        } catch (RuntimeException e) {
            log.warn("Keep-alive of lock {} of type {} failed; the lock is marked lost: {}",
                    lock.lockId(), lock.type().name(), e.getMessage());
            return;
        } finally {
            watchdog.cancel(false);
        }
        if (!extended) {
            if (!stopped) {
                log.warn("Keep-alive of lock {} of type {} found it no longer held; the lock is marked lost",
                        lock.lockId(), lock.type().name());
            }
            return;
        }
        scheduleNext();
    }

    /** Created on first use, so applications without keep-alive types start no thread. */
    private static final class Threads {
        static final ScheduledThreadPoolExecutor TIMER = timer();
        static final ExecutorService WORKERS = Executors.newCachedThreadPool(daemons("apilock-keep-alive-"));

        private static ScheduledThreadPoolExecutor timer() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemons("apilock-keep-alive-timer-"));
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }

        private static ThreadFactory daemons(String prefix) {
            AtomicInteger count = new AtomicInteger();
            return task -> {
                Thread thread = new Thread(task, prefix + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
        }
    }
}

package dev.apilock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several application instances (each its own pool, factory and template, on its own thread)
 * hammering one lock type. Inside the lock each does a non-atomic read-sleep-write of a shared
 * counter and checks that nobody else is inside: any overlap shows in the counter and the count.
 */
final class ContentionRun {

    private final int cycles;
    private final LockType type;
    private final List<LockTemplate> templates = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    private final AtomicInteger successes = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final List<Long> tokensInEntryOrder = Collections.synchronizedList(new ArrayList<>());
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    private volatile int counter;

    private ContentionRun(int cycles, LockType type) {
        this.cycles = cycles;
        this.type = type;
    }

    static ContentionRun of(TestDatabase database, int instances, int cycles, LockType type) {
        ContentionRun run = new ContentionRun(cycles, type);
        for (int i = 0; i < instances; i++) {
            run.templates.add(new LockTemplate(database.entityManagerFactory(database.dataSource(2))));
        }
        return run;
    }

    void start() {
        for (int i = 0; i < templates.size(); i++) {
            LockTemplate template = templates.get(i);
            String user = "instance-" + i;
            Thread thread = new Thread(() -> contend(template, user), "contender-" + i);
            threads.add(thread);
            thread.start();
        }
    }

    private void contend(LockTemplate template, String user) {
        int attempt = 0;
        while (successes.get() < cycles && failures.isEmpty()) {
            try {
                template.execute(type, "attempt-" + (++attempt), user, lock -> {
                    if (inside.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    tokensInEntryOrder.add(lock.fencingToken());
                    int seen = counter;
                    sleep(1);
                    counter = seen + 1;
                    successes.incrementAndGet();
                    inside.decrementAndGet();
                    return null;
                });
            } catch (ApiLockAcquireException refused) {
                refusals.incrementAndGet();
                sleep(ThreadLocalRandom.current().nextInt(2));
            } catch (Throwable t) {
                failures.add(t);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void awaitDone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (thread.isAlive()) {
                throw new AssertionError("contention run did not finish within " + timeout);
            }
        }
    }

    int successes() {
        return successes.get();
    }

    int refusals() {
        return refusals.get();
    }

    int overlaps() {
        return overlaps.get();
    }

    int counter() {
        return counter;
    }

    List<Long> tokensInEntryOrder() {
        return new ArrayList<>(tokensInEntryOrder);
    }

    List<Throwable> failures() {
        return new ArrayList<>(failures);
    }
}

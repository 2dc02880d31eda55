package dev.apilock.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The cost of a refused attempt: one instance holds the lock, another keeps trying on one thread.
 * Times each refusal and reads the write counters before and after: a refused attempt should
 * cost a round trip and write nothing.
 */
final class RefusalCost {

    /** How long to wait, at most, for the server to publish its statistics. */
    private static final Duration STATS_SETTLE_LIMIT = Duration.ofSeconds(20);

    /**
     * What the refused attempts of one round did.
     *
     * @param sample    the refused attempts, timed
     * @param writes    the counters' change over the attempts
     * @param idleWal   WAL written by the whole server in an idle window as long as the attempts:
     *                  the background that {@code writes.walPosition()} includes
     */
    record Result(Sample sample, WriteCounters writes, long idleWal) {
    }

    private RefusalCost() {
    }

    static Result measure(BenchDatabase database, Contender contender, String type, Duration duration)
            throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        LockClient holder = contender.client(1000);
        Thread holding = new Thread(() -> {
            try {
                boolean acquired = holder.cycle(type, () -> {
                    held.countDown();
                    await(done);
                });
                if (!acquired) {
                    System.err.println(contender.name() + ": the holder could not take " + type);
                }
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                held.countDown();
            }
        }, "bench-holder");
        holding.start();
        try {
            if (!held.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(contender.name() + ": the holder did not get " + type);
            }
            LockClient prober = contender.client(1001);
            WriteCounters before = settled(database, contender.table());
            Sample sample = Runner.run(1, duration, i -> () -> prober.cycle(type, () -> {
                throw new IllegalStateException("the prober got a lock that is held");
            }));
            long idleWal = 0;
            if (database.isPostgres()) {
                try (Connection connection = database.connect()) {
                    long start = WriteCounters.walPosition(connection);
                    Thread.sleep(duration.toMillis());
                    idleWal = WriteCounters.walPosition(connection) - start;
                }
            }
            WriteCounters after = settled(database, contender.table());
            return new Result(sample, after.minus(before), idleWal);
        } finally {
            done.countDown();
            holding.join(30_000);
        }
    }

    /**
     * The counters once PostgreSQL has published what its sessions had pending (an idle session
     * reports within a second or so): two equal readings in a row, 1.2 s apart.
     */
    private static WriteCounters settled(BenchDatabase database, String table) throws SQLException,
            InterruptedException {
        WriteCounters last = WriteCounters.read(database, table);
        if (!database.isPostgres()) {
            return last;
        }
        long deadline = System.nanoTime() + STATS_SETTLE_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1200);
            WriteCounters next = WriteCounters.read(database, table);
            if (next.sameCountsAs(last)) {
                return next;
            }
            last = next;
        }
        System.err.println("PostgreSQL statistics for " + table + " did not settle within " + STATS_SETTLE_LIMIT);
        return last;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

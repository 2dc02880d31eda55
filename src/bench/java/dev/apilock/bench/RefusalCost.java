package dev.apilock.bench;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The cost of a refused attempt: one instance holds the lock while another keeps trying on one
 * thread, round after round. Times each refusal, counts the library's round trips and reads the
 * write counters before and after all rounds: a refused attempt should cost a round trip and
 * write nothing.
 */
final class RefusalCost {

    /**
     * PostgreSQL 15 publishes an idle session's pending statistics within 10 s
     * (PGSTAT_IDLE_INTERVAL); the counters are read once that has passed, and are steady.
     */
    private static final Duration STATS_PUBLISHED = Duration.ofSeconds(11);

    private static final Duration STATS_SETTLE_LIMIT = Duration.ofSeconds(30);

    /**
     * What the refused attempts did.
     *
     * @param latency    the refused attempts, timed, one sample per round
     * @param writes     the counters' change over all rounds
     * @param idle       the server-wide counters' change in an idle window as long as the rounds:
     *                   the background that the server-wide counters of {@code writes} include
     * @param roundTrips what the library's connections sent to the server during the rounds
     */
    record Result(Series latency, WriteCounters writes, WriteCounters idle, long roundTrips) {
    }

    private RefusalCost() {
    }

    static Result measure(BenchDatabase database, Contender contender, String type, Duration warmup, int rounds,
                          Duration round) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        LockClient holder = contender.client(1000);
        Thread holding = new Thread(() -> {
            try {
                if (!holder.cycle(type, () -> {
                    held.countDown();
                    await(done);
                })) {
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
            Operation refused = () -> prober.cycle(type, () -> {
                throw new IllegalStateException("the prober got a lock that is held");
            });
            Runner.run(1, warmup, i -> refused);
            if (database.isMariaDb()) {
                // InnoDB's MODIFIED_COUNTER drops to 0 whenever background statistics are
                // recalculated, which the earlier scenarios' writes may have queued; counting from
                // a fresh ANALYZE, it can only grow by rows really written.
                for (String table : contender.tables()) {
                    database.vacuumAnalyze(table);
                }
            }
            try (CounterReader counters = new CounterReader(database)) {
                // The idle window runs while PostgreSQL publishes the warm-up's statistics, which
                // are not WAL-logged: it costs no time of its own there.
                WriteCounters idleStart = new WriteCounters(counters.serverWide());
                if (!idleStart.counters().isEmpty()) {
                    Thread.sleep(round.toMillis() * rounds);
                }
                WriteCounters idle = new WriteCounters(counters.serverWide()).minus(idleStart);
                WriteCounters before = settled(database, counters, contender.tables(), round.multipliedBy(rounds));
                Series latency = new Series(contender.name());
                long tripsBefore = database.roundTrips(contender.pool());
                for (int r = 0; r < rounds; r++) {
                    latency.add(Runner.run(1, round, i -> refused));
                }
                long roundTrips = database.roundTrips(contender.pool()) - tripsBefore;
                WriteCounters after = settled(database, counters, contender.tables(), Duration.ZERO);
                return new Result(latency, after.minus(before), idle, roundTrips);
            }
        } finally {
            done.countDown();
            holding.join(30_000);
        }
    }

    /**
     * The counters once PostgreSQL has published what its sessions had pending: after
     * {@link #STATS_PUBLISHED} (of which {@code waited} has passed already), two equal readings in
     * a row, 1.2 s apart.
     */
    private static WriteCounters settled(BenchDatabase database, CounterReader counters, List<String> tables,
                                         Duration waited) throws SQLException, InterruptedException {
        if (!database.isPostgres()) {
            return counters.read(tables);
        }
        Thread.sleep(Math.max(0, STATS_PUBLISHED.minus(waited).toMillis()));
        WriteCounters last = counters.read(tables);
        long deadline = System.nanoTime() + STATS_SETTLE_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1200);
            WriteCounters next = counters.read(tables);
            if (next.sameCountsAs(last)) {
                return next;
            }
            last = next;
        }
        System.err.println("PostgreSQL statistics for " + tables + " did not settle within " + STATS_SETTLE_LIMIT);
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

package dev.apilock.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import javax.sql.DataSource;

/**
 * The scenarios on one database. Within a round every library runs once, in an order that
 * rotates from round to round, so that a noisy moment does not always hit the same library.
 */
final class Scenarios {

    private static final Runnable NOTHING = () -> { };

    /** Bulk history goes in chunks of this many rows, one statement each. */
    private static final long LOAD_CHUNK = 100_000;

    private final BenchConfig config;
    private final BenchDatabase database;
    private final List<Contender> contenders;
    private final Floors floors;
    private final DatabaseResults results;

    Scenarios(BenchConfig config, BenchDatabase database, List<Contender> contenders, Floors floors,
              DatabaseResults results) {
        this.config = config;
        this.database = database;
        this.contenders = contenders;
        this.floors = floors;
        this.results = results;
    }

    /** 1. Acquire, empty callback, release, on one thread; and the floors. */
    void uncontended() {
        Map<String, IntFunction<Operation>> runs = new LinkedHashMap<>();
        for (Contender contender : contenders) {
            LockClient client = contender.client(0);
            runs.put(contender.name(), i -> () -> client.cycle("bench-uncontended", NOTHING));
        }
        runs.put(Floors.TWO_COMMITS, i -> floors.twoCommits());
        runs.put(Floors.ONE_COMMIT, i -> floors.oneCommit());
        if (!database.isH2()) {
            runs.put(Floors.ADVISORY, i -> floors.advisoryLock());
        }
        results.uncontended.addAll(rounds("uncontended", 1, runs));
    }

    /** 2. Every thread an instance of its own, all on one lock type, as fast as they go. */
    void contended() {
        results.contended.addAll(rounds("contended", config.threads(), perThreadClients(i -> "bench-contended")));
    }

    /** 2b. A refused attempt: its latency and what it writes. */
    void refusals() throws Exception {
        for (Contender contender : contenders) {
            progress("refused attempts", contender.name());
            RefusalCost.Result result = RefusalCost.measure(database, contender, "bench-refused", config.warmup(),
                    config.rounds(), config.round());
            results.refusals.add(new DatabaseResults.Refusals(contender.name(), result.latency(), result.writes(),
                    result.idle(), result.roundTrips()));
        }
    }

    /**
     * 5. One thread's uncontended cycles for a long while, window after window, each library in
     * turn: whether the rate decays as the library's table grows by every cycle. From vacuumed
     * tables, as the other scenarios; nothing vacuums during the run (the server's autovacuum
     * may, if it is on).
     */
    void decay() throws SQLException {
        for (Contender contender : contenders) {
            vacuumAnalyze(contender);
        }
        for (Contender contender : contenders) {
            LockClient client = contender.client(0);
            Operation cycle = () -> client.cycle("bench-decay", NOTHING);
            Series series = new Series(contender.name());
            for (int window = 1; window <= config.decayWindows(); window++) {
                Sample sample = Runner.run(1, config.decayWindow(), i -> cycle);
                series.add(sample);
                progress("decay", String.format(Locale.ROOT, "%s window %d: %.0f ops/s%s", contender.name(), window,
                        sample.successesPerSecond(), sample.errors() > 0
                                ? ", " + sample.errors() + " errors: " + sample.firstError() : ""));
            }
            results.decay.add(series);
        }
    }

    /** 4. Every thread an instance of its own, each on a lock type of its own. */
    void manyTypes() {
        results.manyTypes.addAll(rounds("many types", config.threads(), perThreadClients(i -> "bench-many-" + i)));
    }

    /**
     * 3. One thread's cycle latency over growing bulk-loaded history: of other types (for the
     * peers: other lock names), then of the same type (apilock alone keeps such history).
     */
    void history() throws Exception {
        for (boolean sameType : new boolean[] {false, true}) {
            List<Contender> loaded = contenders.stream().filter(c -> !sameType || c.keepsHistory()).toList();
            for (Contender contender : loaded) {
                try (Connection connection = database.connect()) {
                    contender.clearHistory(connection);
                }
                vacuumAnalyze(contender);
            }
            long rows = 0;
            for (long size : config.historySizes()) {
                for (Contender contender : loaded) {
                    load(contender, rows + 1, size, sameType);
                }
                rows = Math.max(rows, size);
                Map<String, IntFunction<Operation>> runs = new LinkedHashMap<>();
                for (Contender contender : loaded) {
                    LockClient client = contender.client(0);
                    runs.put(contender.name(), i -> () -> client.cycle("bench-history", NOTHING));
                }
                for (Series series : rounds("history " + size + (sameType ? " same type" : " other types"), 1, runs)) {
                    String label = series.label() + (sameType ? " (same type)" : " (other types)");
                    results.history.computeIfAbsent(label, l -> new TreeMap<>()).put(size, series);
                }
            }
        }
    }

    private void load(Contender contender, long from, long to, boolean sameType) throws Exception {
        if (from > to) {
            return;
        }
        String rows = contender.name() + " rows " + from + ".." + to + (sameType ? " of the same type" : " of other types");
        progress("loading history", rows);
        long begin = System.nanoTime();
        try (Connection connection = database.connect()) {
            for (long start = from; start <= to; start += LOAD_CHUNK) {
                contender.loadHistory(connection, start, Math.min(to, start + LOAD_CHUNK - 1), "bench-history",
                        sameType);
            }
            contender.checkHistory(connection, "bench-history");
        }
        vacuumAnalyze(contender);
        progress("loading history", String.format(Locale.ROOT, "%s: %.1f s with analyze", rows,
                (System.nanoTime() - begin) / 1e9));
    }

    private void vacuumAnalyze(Contender contender) throws SQLException {
        for (String table : contender.tables()) {
            database.vacuumAnalyze(table);
        }
    }

    private Map<String, IntFunction<Operation>> perThreadClients(IntFunction<String> typeOfThread) {
        Map<String, IntFunction<Operation>> runs = new LinkedHashMap<>();
        for (Contender contender : contenders) {
            List<LockClient> clients = new ArrayList<>();
            for (int i = 0; i < config.threads(); i++) {
                clients.add(contender.client(i));
            }
            runs.put(contender.name(), i -> {
                LockClient client = clients.get(i);
                String type = typeOfThread.apply(i);
                return () -> client.cycle(type, NOTHING);
            });
        }
        return runs;
    }

    /**
     * Warm-up of each run, then the rounds, interleaved. Starts from vacuumed and analyzed
     * tables, as autovacuum would keep them (the local server may run without it).
     */
    private List<Series> rounds(String scenario, int threads, Map<String, IntFunction<Operation>> runs) {
        for (Contender contender : contenders) {
            try {
                vacuumAnalyze(contender);
            } catch (SQLException e) {
                throw new IllegalStateException("Could not vacuum " + contender.tables(), e);
            }
        }
        List<String> labels = new ArrayList<>(runs.keySet());
        Map<String, Series> series = new LinkedHashMap<>();
        for (String label : labels) {
            progress(scenario, "warm-up " + label);
            Runner.run(threads, scenario.equals("uncontended") ? config.firstWarmup() : config.warmup(),
                    runs.get(label));
            series.put(label, new Series(label));
        }
        for (int round = 0; round < config.rounds(); round++) {
            for (int k = 0; k < labels.size(); k++) {
                String label = labels.get((k + round) % labels.size());
                DataSource pool = poolOf(label);
                long tripsBefore = database.roundTrips(pool);
                Sample sample = Runner.run(threads, config.round(), runs.get(label));
                series.get(label).add(sample);
                series.get(label).addRoundTrips(database.roundTrips(pool) - tripsBefore);
                progress(scenario, String.format(Locale.ROOT, "round %d %s: %.0f ops/s, p50 %.1f µs%s",
                        round + 1, label, sample.successesPerSecond(), sample.p50Micros(),
                        sample.errors() > 0 ? ", " + sample.errors() + " errors: " + sample.firstError() : ""));
            }
        }
        return new ArrayList<>(series.values());
    }

    /** The pool that a run of this label uses: its library's, else the floors'. */
    private DataSource poolOf(String label) {
        return contenders.stream().filter(c -> c.name().equals(label)).findFirst().map(Contender::pool)
                .orElse(floors.pool());
    }

    private void progress(String scenario, String message) {
        System.err.println("[bench " + database.kind().label + " / " + scenario + "] " + message);
    }
}

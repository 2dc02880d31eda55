package dev.apilock.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What to run, from system properties (the {@code bench} profile passes them on):
 * {@code bench.rounds}, {@code bench.seconds} per measured round, {@code bench.warmup} seconds,
 * {@code bench.history} row counts, {@code bench.decaySeconds} and {@code bench.decayWindow}
 * seconds, {@code bench.databases}, {@code bench.scenarios}, {@code bench.threads},
 * {@code bench.note}, {@code bench.out}. {@code bench.quick=true} shrinks everything to a smoke run
 * that checks the harness, not the numbers.
 */
record BenchConfig(int rounds, Duration round, Duration warmup, List<Long> historySizes, Duration decay,
                   Duration decayWindow, List<String> databases, List<String> scenarios, int threads, String note,
                   Path out, boolean quick) {

    static final List<String> ALL_SCENARIOS = List.of("uncontended", "contended", "history", "many", "decay");

    static final List<String> ALL_DATABASES = List.of("h2", "postgresql", "mariadb");

    static final int FIRST_WARMUP_FACTOR = 2;

    static BenchConfig fromSystemProperties() {
        boolean quick = Boolean.getBoolean("bench.quick");
        int rounds = Integer.parseInt(property("bench.rounds", quick ? "1" : "5"));
        double seconds = Double.parseDouble(property("bench.seconds", quick ? "0.3" : "1"));
        double warmup = Double.parseDouble(property("bench.warmup", quick ? "0.3" : "1"));
        List<Long> history = list(property("bench.history", quick ? "0,1000,10000" : "0,100000,1000000"))
                .stream().map(Long::parseLong).sorted().toList();
        double decay = Double.parseDouble(property("bench.decaySeconds", quick ? "2" : "60"));
        double decayWindow = Double.parseDouble(property("bench.decayWindow", quick ? "0.5" : "10"));
        List<String> databases = list(property("bench.databases", String.join(",", ALL_DATABASES)));
        List<String> scenarios = list(property("bench.scenarios", "all"));
        if (scenarios.contains("all")) {
            scenarios = ALL_SCENARIOS;
        }
        int threads = Integer.parseInt(property("bench.threads", "8"));
        BenchConfig config = new BenchConfig(rounds, seconds(seconds), seconds(warmup), history, seconds(decay),
                seconds(decayWindow), databases, scenarios, threads,
                property("bench.note", ""), Path.of(property("bench.out", "target/bench")), quick);
        config.validate();
        return config;
    }

    private void validate() {
        if (rounds < 1) {
            throw new IllegalArgumentException("bench.rounds must be at least 1, was " + rounds);
        }
        if (round.isZero() || round.isNegative()) {
            throw new IllegalArgumentException("bench.seconds must be positive, was " + round);
        }
        if (threads < 2) {
            throw new IllegalArgumentException("bench.threads must be at least 2, was " + threads);
        }
        if (historySizes.isEmpty() || historySizes.get(0) < 0) {
            throw new IllegalArgumentException("bench.history must list row counts >= 0, was " + historySizes);
        }
        if (decayWindow.isZero() || decayWindow.isNegative() || decay.compareTo(decayWindow) < 0) {
            throw new IllegalArgumentException("bench.decayWindow must be positive and at most bench.decaySeconds, was "
                    + decayWindow + " of " + decay);
        }
        for (String database : databases) {
            if (!ALL_DATABASES.contains(database)) {
                throw new IllegalArgumentException("bench.databases: unknown database '" + database
                        + "'; known are " + String.join(", ", ALL_DATABASES));
            }
        }
        for (String scenario : scenarios) {
            if (!ALL_SCENARIOS.contains(scenario)) {
                throw new IllegalArgumentException("bench.scenarios: unknown scenario '" + scenario
                        + "'; known are all, " + String.join(", ", ALL_SCENARIOS));
            }
        }
    }

    /**
     * The warm-up of the first scenario on a database, which also warms the JIT for the driver and
     * the library: {@link #FIRST_WARMUP_FACTOR} times the others'.
     */
    Duration firstWarmup() {
        return warmup.multipliedBy(FIRST_WARMUP_FACTOR);
    }

    boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }

    /** How many whole decay windows the decay run has. */
    int decayWindows() {
        return (int) (decay.toMillis() / decayWindow.toMillis());
    }

    private static Duration seconds(double seconds) {
        return Duration.ofMillis((long) (seconds * 1000));
    }

    private static String property(String name, String fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }
}

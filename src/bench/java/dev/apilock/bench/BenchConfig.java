package dev.apilock.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What to run, from system properties (the {@code bench} profile passes them on):
 * {@code bench.rounds}, {@code bench.seconds} per measured round, {@code bench.warmup} seconds,
 * {@code bench.history} row counts, {@code bench.databases}, {@code bench.scenarios},
 * {@code bench.threads}, {@code bench.note}, {@code bench.out}. {@code bench.quick=true} shrinks
 * everything to a smoke run that checks the harness, not the numbers.
 */
record BenchConfig(int rounds, Duration round, Duration warmup, List<Long> historySizes, List<String> databases,
                   List<String> scenarios, int threads, String note, Path out, boolean quick) {

    static final List<String> ALL_SCENARIOS = List.of("uncontended", "contended", "history", "many");

    static BenchConfig fromSystemProperties() {
        boolean quick = Boolean.getBoolean("bench.quick");
        int rounds = Integer.parseInt(property("bench.rounds", quick ? "1" : "5"));
        double seconds = Double.parseDouble(property("bench.seconds", quick ? "0.3" : "2"));
        double warmup = Double.parseDouble(property("bench.warmup", quick ? "0.3" : "5"));
        List<Long> history = list(property("bench.history", quick ? "0,1000,10000" : "0,100000,1000000"))
                .stream().map(Long::parseLong).sorted().toList();
        List<String> databases = list(property("bench.databases", "h2,postgresql"));
        List<String> scenarios = list(property("bench.scenarios", "all"));
        if (scenarios.contains("all")) {
            scenarios = ALL_SCENARIOS;
        }
        int threads = Integer.parseInt(property("bench.threads", "8"));
        BenchConfig config = new BenchConfig(rounds, Duration.ofMillis((long) (seconds * 1000)),
                Duration.ofMillis((long) (warmup * 1000)), history, databases, scenarios, threads,
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
        for (String database : databases) {
            if (!database.equals("h2") && !database.equals("postgresql")) {
                throw new IllegalArgumentException("bench.databases: unknown database '" + database
                        + "'; known are h2, postgresql");
            }
        }
        for (String scenario : scenarios) {
            if (!ALL_SCENARIOS.contains(scenario)) {
                throw new IllegalArgumentException("bench.scenarios: unknown scenario '" + scenario
                        + "'; known are all, " + String.join(", ", ALL_SCENARIOS));
            }
        }
    }

    boolean runs(String scenario) {
        return scenarios.contains(scenario);
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

package dev.apilock.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * How long a run of the configuration takes, printed at its start: the measured time of every
 * scenario, which the configuration fixes, plus estimates of what it does not (bulk loading,
 * PostgreSQL's statistics settling, start-up).
 */
final class ExpectedDuration {

    private static final int LIBRARIES = 3;

    /** Schema, pools, Hibernate's start-up, per database. */
    private static final double SETUP_SECONDS = 8;

    /** Two waits for PostgreSQL's statistics per refused-attempt measurement (see RefusalCost). */
    private static final double POSTGRES_SETTLE_SECONDS = 2 * 12.4;

    private ExpectedDuration() {
    }

    static Duration of(BenchConfig config) {
        double total = 0;
        for (String database : config.databases()) {
            total += seconds(config, BenchDatabase.Kind.valueOf(database.toUpperCase(Locale.ROOT)));
        }
        return Duration.ofSeconds(Math.round(total));
    }

    private static double seconds(BenchConfig config, BenchDatabase.Kind kind) {
        double run = config.warmup().toMillis() / 1000.0 + config.rounds() * config.round().toMillis() / 1000.0;
        double measured = config.rounds() * config.round().toMillis() / 1000.0;
        double total = SETUP_SECONDS;
        if (config.runs("uncontended")) {
            int floors = kind == BenchDatabase.Kind.H2 ? 2 : 3;
            total += (LIBRARIES + floors) * (run + config.firstWarmup().minus(config.warmup()).toMillis() / 1000.0);
        }
        if (config.runs("contended")) {
            total += LIBRARIES * run;
            // PostgreSQL's first wait for its statistics holds the idle window
            double idleWindow = kind == BenchDatabase.Kind.MARIADB ? measured : 0;
            double settle = kind == BenchDatabase.Kind.POSTGRESQL ? POSTGRES_SETTLE_SECONDS : 0;
            total += LIBRARIES * (run + idleWindow + settle);
        }
        if (config.runs("many")) {
            total += LIBRARIES * run;
        }
        if (config.runs("history")) {
            long largest = config.historySizes().get(config.historySizes().size() - 1);
            // other types for every library, then the same type for apilock, each loaded; apilock's cleared
            total += config.historySizes().size() * (LIBRARIES + 1) * run;
            total += (LIBRARIES + 2) * largest / rowsPerSecond(kind);
        }
        if (config.runs("decay")) {
            total += LIBRARIES * config.decayWindows() * config.decayWindow().toMillis() / 1000.0;
        }
        return total;
    }

    /**
     * Bulk loading or deleting with the indexes, then VACUUM ANALYZE. A busy 2-core machine
     * (load average 4) managed 100k, 90k and 33k rows/s; a quiet one does better.
     */
    private static double rowsPerSecond(BenchDatabase.Kind kind) {
        return switch (kind) {
            case H2 -> 120_000;
            case POSTGRESQL -> 100_000;
            case MARIADB -> 40_000;
        };
    }
}

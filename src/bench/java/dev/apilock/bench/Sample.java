package dev.apilock.bench;

/**
 * What one measured run of an {@link Operation} did: counts, wall time and the latencies of
 * successful and refused attempts, in nanoseconds, sorted.
 */
record Sample(long successes, long refusals, long errors, long elapsedNanos, long[] successLatencies,
              long[] refusalLatencies, Throwable firstError) {

    double successesPerSecond() {
        return successes * 1e9 / elapsedNanos;
    }

    double refusalsPerSecond() {
        return refusals * 1e9 / elapsedNanos;
    }

    /** Median latency of a successful attempt, in microseconds; NaN if there was none. */
    double p50Micros() {
        return percentileMicros(successLatencies, 0.50);
    }

    double p99Micros() {
        return percentileMicros(successLatencies, 0.99);
    }

    double refusalP50Micros() {
        return percentileMicros(refusalLatencies, 0.50);
    }

    double refusalP99Micros() {
        return percentileMicros(refusalLatencies, 0.99);
    }

    private static double percentileMicros(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1000.0;
    }
}

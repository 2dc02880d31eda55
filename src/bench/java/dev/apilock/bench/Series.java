package dev.apilock.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The measured rounds of one library (or floor) in one scenario, and their medians. */
final class Series {

    private final String label;
    private final List<Sample> rounds = new ArrayList<>();
    private long roundTrips;

    Series(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    void add(Sample sample) {
        rounds.add(sample);
    }

    /** Adds what the pool of the library (or floor) sent to the server during a round. */
    void addRoundTrips(long count) {
        roundTrips += count;
    }

    /** Round trips per attempt, successful or refused, over all rounds; NaN if not counted. */
    double roundTripsPerAttempt() {
        long attempts = rounds.stream().mapToLong(s -> s.successes() + s.refusals()).sum();
        return roundTrips == 0 || attempts == 0 ? Double.NaN : (double) roundTrips / attempts;
    }

    List<Sample> rounds() {
        return rounds;
    }

    double opsPerSecond() {
        return median(Sample::successesPerSecond);
    }

    double refusalsPerSecond() {
        return median(Sample::refusalsPerSecond);
    }

    double p50() {
        return median(Sample::p50Micros);
    }

    double p99() {
        return median(Sample::p99Micros);
    }

    double refusalP50() {
        return median(Sample::refusalP50Micros);
    }

    double refusalP99() {
        return median(Sample::refusalP99Micros);
    }

    long errors() {
        return rounds.stream().mapToLong(Sample::errors).sum();
    }

    Throwable firstError() {
        return rounds.stream().map(Sample::firstError).filter(e -> e != null).findFirst().orElse(null);
    }

    /** This series' successful ops/s divided by the other's, round by round. */
    double[] ratiosTo(Series other) {
        int n = Math.min(rounds.size(), other.rounds.size());
        double[] ratios = new double[n];
        for (int i = 0; i < n; i++) {
            ratios[i] = rounds.get(i).successesPerSecond() / other.rounds.get(i).successesPerSecond();
        }
        return ratios;
    }

    double median(ToDoubleFunction<Sample> metric) {
        return median(rounds.stream().mapToDouble(metric).toArray());
    }

    static double median(double[] values) {
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

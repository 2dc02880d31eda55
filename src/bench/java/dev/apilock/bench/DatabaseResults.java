package dev.apilock.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Everything measured on one database, in the order the report shows it. */
final class DatabaseResults {

    /** The refused attempts of one library over all rounds; see {@link RefusalCost.Result}. */
    record Refusals(String library, Series latency, WriteCounters writes, WriteCounters idle, long roundTrips) {

        long attempts() {
            return latency.rounds().stream().mapToLong(Sample::refusals).sum();
        }

        double roundTripsPerAttempt() {
            return attempts() == 0 ? Double.NaN : (double) roundTrips / attempts();
        }
    }

    final BenchDatabase.Kind kind;
    final String version;
    final List<Series> uncontended = new ArrayList<>();
    final List<Series> contended = new ArrayList<>();
    final List<Refusals> refusals = new ArrayList<>();
    final List<Series> manyTypes = new ArrayList<>();
    /** One series per library, a sample per decay window. */
    final List<Series> decay = new ArrayList<>();
    /** By "library (history kind)", then history rows before the measurement. */
    final Map<String, TreeMap<Long, Series>> history = new LinkedHashMap<>();

    DatabaseResults(BenchDatabase.Kind kind, String version) {
        this.kind = kind;
        this.version = version;
    }

    Series find(List<Series> series, String label) {
        return series.stream().filter(s -> s.label().equals(label)).findFirst().orElse(null);
    }
}

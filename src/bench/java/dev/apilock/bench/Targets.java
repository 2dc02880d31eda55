package dev.apilock.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the issue "Faster than ShedLock while keeping history and fencing tokens" asks, checked
 * against the measurements, each as the median of per-round ratios of cycles/s: uncontended at
 * least 1.2x ShedLock and 1.0x the two-commit floor on PostgreSQL, 0.9x ShedLock on MariaDB, 0.5x
 * on H2; contended at least ShedLock's successful cycles; a refused attempt one round trip and no
 * row written; the largest history within 1.1x of the empty table. The decay is reported.
 */
final class Targets {

    private final List<DatabaseResults> databases;

    Targets(List<DatabaseResults> databases) {
        this.databases = databases;
    }

    void appendTo(StringBuilder out) {
        out.append("## Targets\n\n| target | measured | met |\n|---|---:|---|\n");
        for (DatabaseResults results : databases) {
            String db = results.kind.label;
            Series apilock = results.find(results.uncontended, Report.APILOCK);
            Series shedlock = results.find(results.uncontended, "ShedLock");
            double uncontended = switch (results.kind) {
                case POSTGRESQL -> 1.2;
                case MARIADB -> 0.9;
                case H2 -> 0.5;
            };
            ratioAtLeast(out, db + " uncontended: apilock ÷ ShedLock ≥ " + uncontended, apilock, shedlock,
                    uncontended);
            if (results.kind == BenchDatabase.Kind.POSTGRESQL) {
                ratioAtLeast(out, db + " uncontended: apilock ÷ two-commit floor ≥ 1.0", apilock,
                        results.find(results.uncontended, Floors.TWO_COMMITS), 1.0);
            }
            ratioAtLeast(out, db + " contended, " + "instances on one type: apilock ÷ ShedLock, successful cycles ≥ 1.0",
                    results.find(results.contended, Report.APILOCK), results.find(results.contended, "ShedLock"), 1.0);
            refusal(out, results);
            history(out, results);
            decay(out, results);
        }
        out.append('\n');
    }

    private static void refusal(StringBuilder out, DatabaseResults results) {
        for (DatabaseResults.Refusals r : results.refusals) {
            if (!r.library().equals(Report.APILOCK)) {
                continue;
            }
            double trips = r.roundTripsPerAttempt();
            long written = r.writes().rowsWritten();
            line(out, results.kind.label + " refused attempt: 1 round trip, 0 rows written",
                    String.format(Locale.ROOT, "%s round trips, %d rows written", Report.ratio(trips), written),
                    Math.round(trips * 100) <= 100 && written == 0 && r.latency().errors() == 0);
        }
    }

    private static void history(StringBuilder out, DatabaseResults results) {
        for (Map.Entry<String, TreeMap<Long, Series>> entry : results.history.entrySet()) {
            if (!entry.getKey().startsWith(Report.APILOCK) || entry.getValue().size() < 2) {
                continue;
            }
            TreeMap<Long, Series> bySize = entry.getValue();
            double slowdown = Series.median(bySize.firstEntry().getValue().ratiosTo(bySize.lastEntry().getValue()));
            line(out, results.kind.label + " history, " + entry.getKey() + ": cycles/s at "
                    + Report.rows(bySize.firstKey()) + " bulk rows ÷ at " + Report.rows(bySize.lastKey()) + " ≤ 1.1",
                    Report.ratio(slowdown), slowdown <= 1.1);
        }
    }

    private static void decay(StringBuilder out, DatabaseResults results) {
        Series apilock = results.find(results.decay, Report.APILOCK);
        if (apilock != null) {
            out.append("| ").append(results.kind.label).append(" decay: apilock's last window ÷ first, cycles/s"
                    + " (reported; the issue sets no bound) | ").append(Report.ratio(Report.decayRatio(apilock)))
                    .append(" | – |\n");
        }
    }

    private static void ratioAtLeast(StringBuilder out, String target, Series apilock, Series other, double bound) {
        if (apilock == null || other == null) {
            return;
        }
        double ratio = Series.median(apilock.ratiosTo(other));
        line(out, target, Report.ratio(ratio), ratio >= bound && apilock.errors() == 0);
    }

    private static void line(StringBuilder out, String target, String measured, boolean met) {
        out.append("| ").append(target).append(" | ").append(measured).append(" | ")
                .append(met ? "yes" : "**no**").append(" |\n");
    }
}

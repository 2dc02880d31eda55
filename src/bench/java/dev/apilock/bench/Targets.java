package dev.apilock.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the project promises, checked against the measurements: on PostgreSQL at least
 * ShedLock's uncontended rate and within 1.2x of the two-commit floor; on H2 at least half
 * ShedLock's rate; the largest history within 1.2x of the empty table's latency.
 */
final class Targets {

    private final List<DatabaseResults> databases;

    Targets(List<DatabaseResults> databases) {
        this.databases = databases;
    }

    void appendTo(StringBuilder out) {
        out.append("## Targets\n\n| target | measured (median of per-round ratios) | met |\n|---|---:|---|\n");
        for (DatabaseResults results : databases) {
            Series apilock = results.find(results.uncontended, Report.APILOCK);
            Series shedlock = results.find(results.uncontended, "ShedLock");
            Series floor = results.find(results.uncontended, Floors.TWO_COMMITS);
            if (results.kind == BenchDatabase.Kind.POSTGRESQL) {
                ratioAtLeast(out, "PostgreSQL uncontended: apilock ÷ ShedLock ≥ 1.0", apilock, shedlock, 1.0);
                ratioAtLeast(out, "PostgreSQL uncontended: apilock ÷ two-commit floor ≥ 1/1.2 (0.83)", apilock,
                        floor, 1 / 1.2);
            } else {
                ratioAtLeast(out, "H2 uncontended: apilock ÷ ShedLock ≥ 0.5", apilock, shedlock, 0.5);
            }
            for (Map.Entry<String, TreeMap<Long, Series>> entry : results.history.entrySet()) {
                if (!entry.getKey().startsWith(Report.APILOCK) || entry.getValue().size() < 2) {
                    continue;
                }
                TreeMap<Long, Series> bySize = entry.getValue();
                double growth = bySize.lastEntry().getValue().p50() / bySize.firstEntry().getValue().p50();
                line(out, results.kind.label + " history, " + entry.getKey() + ": p50 at "
                        + Report.rows(bySize.lastKey()) + " rows ÷ p50 at " + Report.rows(bySize.firstKey())
                        + " ≤ 1.2", growth, growth <= 1.2);
            }
        }
        out.append('\n');
    }

    private static void ratioAtLeast(StringBuilder out, String target, Series apilock, Series other, double bound) {
        if (apilock == null || other == null) {
            return;
        }
        double ratio = Series.median(apilock.ratiosTo(other));
        line(out, target, ratio, ratio >= bound);
    }

    private static void line(StringBuilder out, String target, double value, boolean met) {
        out.append("| ").append(target).append(" | ").append(Report.ratio(value)).append(" | ")
                .append(met ? "yes" : "**no**").append(" |\n");
    }
}

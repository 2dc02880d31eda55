package dev.apilock.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The results as Markdown: the set-up, the targets, then one section per database. */
final class Report {

    static final String APILOCK = "apilock";

    private final StringBuilder out = new StringBuilder();

    String render(BenchConfig config, List<String> header, List<DatabaseResults> databases) {
        out.append("# apilock benchmark\n\n");
        header.forEach(line -> out.append("- ").append(line).append('\n'));
        out.append('\n');
        new Targets(databases).appendTo(out);
        for (DatabaseResults results : databases) {
            out.append("## ").append(results.kind.label).append(": ").append(results.version).append("\n\n");
            throughput("1. Uncontended cycle: acquire + empty callback + release, 1 thread",
                    results.uncontended, false);
            throughput("2. Contended: " + config.threads() + " threads (instances) on one lock type",
                    results.contended, true);
            refusals(results);
            history(results.history);
            throughput("4. Many types: " + config.threads() + " threads (instances), each on a type of its own",
                    results.manyTypes, false);
            decay(config, results.decay);
        }
        notes();
        return out.toString();
    }

    private void notes() {
        out.append("""
                ## Reading the tables

                - A cycle is acquire, an empty callback, release; each library borrows a pooled connection per
                  operation. apilock writes a history row with a fencing token per cycle and updates its type's
                  holder row; on PostgreSQL its release commits asynchronously (the library's own choice, for
                  that transaction only). ShedLock updates one row per lock name (client clock); Spring
                  Integration inserts and deletes one row per lock key.
                - Floors on the same pool: one auto-committed single-row UPDATE; two of them in a row (what an
                  acquire and a release that each commit cannot beat); on PostgreSQL a session advisory lock and
                  unlock, on MariaDB GET_LOCK and RELEASE_LOCK (two round trips, no commit, no history, no expiry).
                - Ratios are apilock's cycles/s divided by the other's, round by round (>1: apilock faster). Rounds
                  of a scenario interleave the libraries in rotating order; nothing is truncated between rounds,
                  so apilock's history grows through the run.
                - Refused attempts, round trips: a proxy between each library's pool and the JDBC driver counts
                  the calls that send a request and wait for the answer: statement executions (a JDBC batch or a
                  PostgreSQL multi-statement string is one request), commit, rollback, setAutoCommit,
                  setTransactionIsolation, setReadOnly, isValid; the pool's own calls count too. It errs high
                  (some of these the PostgreSQL driver answers itself); on H2 in memory it counts calls into the
                  engine. Shown per refused attempt, with the total over all measured attempts. The proxy adds
                  a reflective call (well under a microsecond) to every JDBC call, for every library alike.
                - Refused attempts, rows written: "library's tables" counters are exact for the library's
                  tables (apilock: api_locks and api_lock_holders). PostgreSQL: pg_stat_user_tables tuples
                  (aborted writes included), pg_stat_database commits and rollbacks of the benchmark's own
                  database (a read-only transaction's commit counts too; it writes no WAL), WAL of the whole
                  server. MariaDB: InnoDB's per-table MODIFIED_COUNTER
                  (information_schema.INNODB_SYS_TABLESTATS), and SHOW GLOBAL STATUS deltas, which cover the
                  whole server (Com_commit counts explicit COMMITs only). H2: the row count. Server-wide counters
                  have an idle window of the same length beside them: the background of a shared server.
                - History: bulk rows are loaded with SQL (released apilock rows with fencing tokens below those
                  of the type's own acquisitions and of its holder row; for the peers, other lock names), then
                  VACUUM ANALYZE (ANALYZE TABLE on H2 and MariaDB), as autovacuum would leave them; the measured
                  cycles add their own rows.
                - Decay: each library in turn runs one thread of uncontended cycles on a type of its own for the
                  whole decay time, cycles/s reported per window.
                """);
    }

    private void throughput(String title, List<Series> series, boolean withRefusals) {
        if (series.isEmpty()) {
            return;
        }
        out.append("### ").append(title).append("\n\n");
        out.append("| lock | cycles/s | ").append(withRefusals ? "refused attempts/s | " : "")
                .append("p50 µs | p99 µs | round trips per attempt | apilock ÷ this, cycles/s per round | median ratio |\n");
        out.append("|---|---:|").append(withRefusals ? "---:|" : "").append("---:|---:|---:|---|---:|\n");
        Series apilock = series.stream().filter(s -> s.label().equals(APILOCK)).findFirst().orElse(null);
        for (Series s : series) {
            out.append("| ").append(s.label()).append(" | ").append(count(s.opsPerSecond())).append(" | ");
            if (withRefusals) {
                out.append(count(s.refusalsPerSecond())).append(" | ");
            }
            out.append(micros(s.p50())).append(" | ").append(micros(s.p99())).append(" | ")
                    .append(ratio(s.roundTripsPerAttempt())).append(" | ");
            if (apilock == null || s == apilock) {
                out.append(" | ");
            } else {
                double[] ratios = apilock.ratiosTo(s);
                out.append(Arrays.stream(ratios).mapToObj(Report::ratio).collect(Collectors.joining(" · ")))
                        .append(" | **").append(ratio(Series.median(ratios))).append("**");
            }
            out.append(errors(s)).append(" |\n");
        }
        out.append('\n');
    }

    private void refusals(DatabaseResults results) {
        if (results.refusals.isEmpty()) {
            return;
        }
        List<WriteCounters.Counter> columns = results.refusals.get(0).writes().counters();
        out.append("### 2b. A refused attempt: one instance holds the lock, another tries on 1 thread\n\n");
        out.append("| lock | refused p50 µs | p99 µs | refusals/s | attempts | round trips per attempt |");
        columns.forEach(c -> out.append(' ').append(c.label()).append(switch (c.scope()) {
            case TABLES -> " (library's tables)";
            case DATABASE -> " (benchmark database)";
            case SERVER -> " (whole server; same-length idle window)";
        }).append(" |"));
        out.append("\n|---|---:|---:|---:|---:|---:|").append("---:|".repeat(columns.size())).append('\n');
        for (DatabaseResults.Refusals r : results.refusals) {
            out.append("| ").append(r.library()).append(" | ").append(micros(r.latency().refusalP50()))
                    .append(" | ").append(micros(r.latency().refusalP99())).append(" | ")
                    .append(count(r.latency().refusalsPerSecond())).append(" | ").append(r.attempts())
                    .append(" | ").append(ratio(r.roundTripsPerAttempt())).append(" (").append(r.roundTrips())
                    .append(") |");
            for (WriteCounters.Counter c : r.writes().counters()) {
                out.append(' ').append(c);
                WriteCounters.Counter idle = r.idle().find(c.label());
                if (idle != null) {
                    out.append(" (").append(idle).append(')');
                }
                out.append(" |");
            }
            out.append(errors(r.latency())).append('\n');
        }
        out.append('\n');
    }

    private void decay(BenchConfig config, List<Series> decay) {
        if (decay.isEmpty()) {
            return;
        }
        int windows = decay.get(0).rounds().size();
        double seconds = config.decayWindow().toMillis() / 1000.0;
        out.append("### 5. Decay: 1-thread uncontended cycles/s per ").append(seconds(seconds))
                .append(" s window over ").append(seconds(windows * seconds)).append(" s, history accumulating\n\n");
        out.append("| lock | ");
        for (int w = 1; w <= windows; w++) {
            out.append(seconds((w - 1) * seconds)).append("–").append(seconds(w * seconds)).append(" s | ");
        }
        out.append("last ÷ first |\n|---|").append("---:|".repeat(windows)).append("---:|\n");
        for (Series s : decay) {
            out.append("| ").append(s.label()).append(" | ");
            s.rounds().forEach(sample -> out.append(count(sample.successesPerSecond())).append(" | "));
            out.append("**").append(ratio(decayRatio(s))).append("**").append(errors(s)).append(" |\n");
        }
        out.append('\n');
    }

    /** The last decay window's cycles/s divided by the first's. */
    static double decayRatio(Series decay) {
        List<Sample> windows = decay.rounds();
        return windows.isEmpty() ? Double.NaN
                : windows.get(windows.size() - 1).successesPerSecond() / windows.get(0).successesPerSecond();
    }

    private void history(Map<String, TreeMap<Long, Series>> history) {
        if (history.isEmpty()) {
            return;
        }
        List<Long> sizes = history.values().iterator().next().keySet().stream().toList();
        out.append("### 3. History growth: 1-thread cycle, p50 µs (p99 µs), by rows already in the table\n\n");
        out.append("| lock (bulk rows) | ");
        sizes.forEach(size -> out.append(rows(size)).append(" rows | "));
        out.append("p50 ").append(rows(sizes.get(sizes.size() - 1))).append(" ÷ ").append(rows(sizes.get(0)))
                .append(" |\n|---|");
        sizes.forEach(size -> out.append("---:|"));
        out.append("---:|\n");
        history.forEach((label, bySize) -> {
            out.append("| ").append(label).append(" | ");
            bySize.values().forEach(s -> out.append(micros(s.p50())).append(" (").append(micros(s.p99()))
                    .append(") | "));
            out.append("**").append(ratio(bySize.lastEntry().getValue().p50() / bySize.firstEntry().getValue().p50()))
                    .append("** |\n");
        });
        out.append('\n');
    }

    private static String errors(Series s) {
        return s.errors() == 0 ? "" : " (" + s.errors() + " errors: " + s.firstError() + ")";
    }

    static String count(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%,.0f", value);
    }

    static String micros(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        return String.format(Locale.ROOT, value < 100 ? "%.1f" : "%,.0f", value);
    }

    static String ratio(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String seconds(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.1f", value);
    }

    static String rows(long size) {
        if (size >= 1_000_000 && size % 1_000_000 == 0) {
            return size / 1_000_000 + "M";
        }
        if (size >= 1_000 && size % 1_000 == 0) {
            return size / 1_000 + "k";
        }
        return Long.toString(size);
    }
}

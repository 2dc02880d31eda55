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
        }
        notes();
        return out.toString();
    }

    private void notes() {
        out.append("""
                ## Reading the tables

                - A cycle is acquire, an empty callback, release; each library borrows a pooled connection per
                  operation. apilock writes a history row with a fencing token per cycle; ShedLock updates one
                  row per lock name (client clock); Spring Integration inserts and deletes one row per lock key.
                - Floors on the same pool: one auto-committed single-row UPDATE; two of them in a row (what an
                  acquire and a release that each commit cannot beat); on PostgreSQL a session advisory lock and
                  unlock (two round trips, no commit, no history, no expiry).
                - Ratios are apilock's cycles/s divided by the other's, round by round (>1: apilock faster).
                - Refused attempts: the tuple counters (pg_stat_user_tables) count aborted writes too; commits
                  and rollbacks are the benchmark database's (pg_stat_database); WAL is the whole server's, with
                  an idle window of the same length beside it for the background of a shared server.
                - History: bulk rows are loaded with SQL (released apilock rows with fencing tokens; for the
                  peers, other lock names), then VACUUM ANALYZE, as autovacuum would leave them; the measured
                  cycles add their own rows.
                """);
    }

    private void throughput(String title, List<Series> series, boolean withRefusals) {
        if (series.isEmpty()) {
            return;
        }
        out.append("### ").append(title).append("\n\n");
        out.append("| lock | cycles/s | ").append(withRefusals ? "refused attempts/s | " : "")
                .append("p50 µs | p99 µs | apilock ÷ this, cycles/s per round | median ratio |\n");
        out.append("|---|---:|").append(withRefusals ? "---:|" : "").append("---:|---:|---|---:|\n");
        Series apilock = series.stream().filter(s -> s.label().equals(APILOCK)).findFirst().orElse(null);
        for (Series s : series) {
            out.append("| ").append(s.label()).append(" | ").append(count(s.opsPerSecond())).append(" | ");
            if (withRefusals) {
                out.append(count(s.refusalsPerSecond())).append(" | ");
            }
            out.append(micros(s.p50())).append(" | ").append(micros(s.p99())).append(" | ");
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
        boolean postgres = results.kind == BenchDatabase.Kind.POSTGRESQL;
        out.append("### 2b. A refused attempt: one instance holds the lock, another tries on 1 thread\n\n");
        out.append("| lock | refused p50 µs | p99 µs | refusals/s | attempts | rows added |");
        if (postgres) {
            out.append(" tuples ins / upd / del | commits / rollbacks | WAL bytes (whole server; same-length idle window) |");
        }
        out.append("\n|---|---:|---:|---:|---:|---:|").append(postgres ? "---:|---:|---:|" : "").append('\n');
        for (DatabaseResults.Refusals r : results.refusals) {
            long attempts = r.latency().rounds().stream().mapToLong(Sample::refusals).sum();
            WriteCounters w = r.writes();
            out.append("| ").append(r.library()).append(" | ").append(micros(r.latency().refusalP50()))
                    .append(" | ").append(micros(r.latency().refusalP99())).append(" | ")
                    .append(count(r.latency().refusalsPerSecond())).append(" | ").append(attempts)
                    .append(" | ").append(w.rows()).append(" |");
            if (postgres) {
                out.append(' ').append(w.inserted()).append(" / ").append(w.updated()).append(" / ")
                        .append(w.deleted()).append(" | ").append(w.commits()).append(" / ").append(w.rollbacks())
                        .append(" | ").append(w.walPosition()).append(" (").append(r.idleWal()).append(") |");
            }
            out.append(errors(r.latency())).append('\n');
        }
        out.append('\n');
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

package dev.apilock.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.javacrumbs.shedlock.provider.jdbc.JdbcLockProvider;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;

/**
 * apilock, ShedLock (JDBC) and Spring Integration's JdbcLockRegistry side by side, in one JVM,
 * on H2 in memory and on the local PostgreSQL and MariaDB: uncontended cycle (with the floors),
 * contention, the cost of a refused attempt, history growth, many types and decay over a long run. Writes
 * {@code results.md} and {@code history.png} to {@code bench.out} and prints the table.
 * Run through the {@code bench} Maven profile; see {@link BenchConfig} for the knobs.
 */
public final class LockBenchmark {

    private LockBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // MariaDB's driver logs every error answer at WARN; the peers' refused inserts are thousands
        // of expected duplicate keys. Set before the driver's first logger is made.
        System.setProperty("org.slf4j.simpleLogger.log.org.mariadb.jdbc.message.server.ErrorPacket", "error");
        BenchConfig config = BenchConfig.fromSystemProperties();
        Duration expected = ExpectedDuration.of(config);
        System.err.println(String.format(Locale.ROOT, "[bench] expected duration: about %.0f min (%d s), set-up of"
                + " each database included, Maven's start not", expected.toSeconds() / 60.0, expected.toSeconds()));
        String started = Environment.date();
        String loadAtStart = Environment.loadAverage();
        List<DatabaseResults> all = new ArrayList<>();
        for (String name : config.databases()) {
            BenchDatabase.Kind kind = BenchDatabase.Kind.valueOf(name.toUpperCase(Locale.ROOT));
            try (BenchDatabase database = BenchDatabase.create(kind)) {
                all.add(run(config, database));
            }
        }
        List<String> header = header(config, started, loadAtStart, all);
        String markdown = new Report().render(config, header, all);
        Files.createDirectories(config.out());
        Path results = config.out().resolve("results.md");
        Files.writeString(results, markdown, StandardCharsets.UTF_8);
        Path chart = config.out().resolve("history.png");
        HistoryChart.write(all, chart);
        System.out.println(markdown);
        System.out.println("Written: " + results + (all.stream().anyMatch(d -> !d.history.isEmpty()) ? ", " + chart : ""));
    }

    private static DatabaseResults run(BenchConfig config, BenchDatabase database) throws Exception {
        DatabaseResults results = new DatabaseResults(database.kind(), database.version());
        List<Contender> contenders = List.of(
                new ApiLockContender(database), new ShedLockContender(database), new SpringLockContender(database));
        try {
            Scenarios scenarios = new Scenarios(config, database, contenders, new Floors(database), results);
            if (config.runs("uncontended")) {
                scenarios.uncontended();
            }
            if (config.runs("contended")) {
                scenarios.contended();
                scenarios.refusals();
            }
            if (config.runs("many")) {
                scenarios.manyTypes();
            }
            if (config.runs("history")) {
                scenarios.history();
            }
            if (config.runs("decay")) {
                scenarios.decay();
            }
        } finally {
            contenders.forEach(Contender::close);
        }
        return results;
    }

    private static List<String> header(BenchConfig config, String started, String loadAtStart,
                                       List<DatabaseResults> all) {
        List<String> lines = new ArrayList<>();
        lines.add("Date: " + started + " to " + Environment.date());
        lines.add("Machine: " + Environment.machine() + "; load average " + loadAtStart + " at start, "
                + Environment.loadAverage() + " at end");
        lines.add("Java: " + Environment.java());
        lines.add("Databases: " + String.join("; ", all.stream().map(d -> d.version
                + (d.kind == BenchDatabase.Kind.H2 ? " in memory, in the benchmark's JVM"
                : " on 127.0.0.1, a fresh database of the benchmark's own")).toList()));
        lines.add("Libraries: apilock (this tree) on Hibernate ORM " + org.hibernate.Version.getVersionString()
                + ", ShedLock " + Environment.version("net.javacrumbs.shedlock", "shedlock-provider-jdbc",
                        JdbcLockProvider.class)
                + " (shedlock-provider-jdbc), Spring Integration "
                + Environment.version("org.springframework.integration", "spring-integration-jdbc",
                        JdbcLockRegistry.class)
                + " (JdbcLockRegistry); each on its own HikariCP "
                + Environment.version("com.zaxxer", "HikariCP", HikariDataSource.class)
                + " pool of " + BenchDatabase.POOL_SIZE + " connections; JDBC drivers H2 "
                + Environment.version("com.h2database", "h2", org.h2.Driver.class) + ", PostgreSQL "
                + Environment.version("org.postgresql", "postgresql", org.postgresql.Driver.class) + ", MariaDB "
                + Environment.version("org.mariadb.jdbc", "mariadb-java-client", org.mariadb.jdbc.Driver.class)
                + "; every pool's connections counted by a proxy between pool and driver (see the notes)");
        lines.add(String.format(Locale.ROOT, "Method: per scenario a %.1f s warm-up of each library (%.1f s before the"
                        + " first, the uncontended cycle), then %d rounds of %.1f s; in each round every library runs"
                        + " once, in rotating order; medians over the rounds; %d threads in the multi-threaded"
                        + " scenarios, each thread an application instance of its own",
                config.warmup().toMillis() / 1000.0, config.firstWarmup().toMillis() / 1000.0, config.rounds(),
                config.round().toMillis() / 1000.0,
                config.threads()));
        if (config.runs("decay")) {
            lines.add(String.format(Locale.ROOT, "Decay: each library alone for %.0f s, cycles/s per %.1f s window",
                    config.decay().toMillis() / 1000.0, config.decayWindow().toMillis() / 1000.0));
        }
        lines.add("Expected duration " + ExpectedDuration.of(config).toSeconds() + " s; took "
                + Duration.between(Instant.parse(started), Instant.now()).toSeconds()
                + " s");
        if (config.quick()) {
            lines.add("**Quick run**: checks the harness, not the numbers");
        }
        if (!config.note().isBlank()) {
            lines.add("Note: " + config.note());
        }
        return lines;
    }
}

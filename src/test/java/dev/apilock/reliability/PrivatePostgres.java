package dev.apilock.reliability;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.apilock.ApiLockPersistence;
import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL cluster of the test's own, in a temporary directory on a free port with its own
 * log, which the test may restart and crash at will: the shared server is never touched. Made
 * with the server binaries of the machine's PostgreSQL ({@code initdb}, {@code pg_ctl}) run as
 * the {@code postgres} user through {@code runuser}, so it needs root. A cluster may be started
 * with settings and an environment of its own (a faked clock), and may be the primary of a
 * streaming standby ({@link #startStandby}), which can be promoted once the primary is killed.
 */
final class PrivatePostgres implements AutoCloseable {

    /** What every private cluster runs with: small, local, ready to be a streaming primary. */
    private static final List<String> SETTINGS = List.of("listen_addresses=127.0.0.1", "max_connections=40",
            "shared_buffers=16MB", "wal_level=replica", "max_wal_senders=4");

    private final Path bin;
    private final Path baseDir;
    private final Path dataDir;
    private final int port;
    private final List<String> settings;
    /** Set for pg_ctl, and so for the server it starts. */
    private final Map<String, String> environment;

    private PrivatePostgres(Path bin, Path baseDir, int port, List<String> settings, Map<String, String> environment) {
        this.bin = bin;
        this.baseDir = baseDir;
        this.dataDir = baseDir.resolve("data");
        this.port = port;
        this.settings = settings;
        this.environment = environment;
    }

    /**
     * apilock's persistence unit on a pool of its own over {@code url}, as an application instance
     * of the tests has it: {@code poolSize} connections, none kept idle, a 2 s connection timeout,
     * pool and backends named {@code name}. Both are closed with {@code resources}.
     */
    static EntityManagerFactory lockUnit(String url, String name, int poolSize, List<AutoCloseable> resources) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(2_000);
        config.setPoolName(name);
        config.addDataSourceProperty("ApplicationName", name);
        HikariDataSource pool = new HikariDataSource(config);
        EntityManagerFactory factory = ApiLockPersistence.createEntityManagerFactory(pool);
        resources.add(pool);
        resources.add(factory::close);
        return factory;
    }

    /** Why a private cluster cannot be made here, or empty if it can. */
    static Optional<String> unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("the tests do not run as root, so they cannot run initdb as user postgres");
        }
        if (serverBinaries().isEmpty()) {
            return Optional.of("no PostgreSQL server binaries under /usr/lib/postgresql");
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/runuser")) && !Files.isExecutable(Path.of("/sbin/runuser"))) {
            return Optional.of("runuser is missing");
        }
        return Optional.empty();
    }

    /**
     * Skips the calling test class with a notice if a private cluster cannot be made here, or if
     * {@code otherReason} names something else missing; fails instead if the environment variable
     * {@code APILOCK_TEST_REQUIRE} names {@code postgresql}, so CI can never pass by skipping.
     */
    static void assumeAvailable(String tests, Optional<String> otherReason) {
        String reason = unavailableReason().or(() -> otherReason).orElse(null);
        if (reason != null) {
            String required = System.getenv().getOrDefault("APILOCK_TEST_REQUIRE", "");
            if (required.toLowerCase(Locale.ROOT).contains("postgresql")) {
                throw new IllegalStateException("No private PostgreSQL cluster: " + reason);
            }
            System.err.println("NOTICE: no private PostgreSQL cluster (" + reason + "): the " + tests
                    + " tests are SKIPPED.");
            Assumptions.abort(reason);
        }
    }

    private static Optional<Path> serverBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(dir -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl")))
                    .max(Comparator.comparing(dir -> Integer.parseInt(dir.getParent().getFileName().toString()
                            .replaceAll("\\D", "0"))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static PrivatePostgres start() throws IOException {
        return start(List.of(), Map.of());
    }

    /**
     * A new cluster, started with {@code settings} ({@code name=value}) on top of the usual ones, and
     * with {@code environment} set for the server (e.g. libfaketime's).
     */
    static PrivatePostgres start(List<String> settings, Map<String, String> environment) throws IOException {
        PrivatePostgres cluster = create(settings, environment);
        try {
            cluster.asPostgres("initdb", "-D", cluster.dataDir.toString(), "-A", "trust", "-U", "postgres",
                    "-E", "UTF8", "--locale=C", "--no-sync");
            cluster.startServer();
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private static PrivatePostgres create(List<String> settings, Map<String, String> environment) throws IOException {
        Path baseDir = Files.createTempDirectory("apilock-pg-");
        PrivatePostgres cluster = new PrivatePostgres(serverBinaries().orElseThrow(), baseDir, H2TcpServer.freePort(),
                settings, environment);
        cluster.run("chown", "postgres:postgres", baseDir.toString());
        return cluster;
    }

    private void startServer() throws IOException {
        StringBuilder options = new StringBuilder("-p " + port + " -k " + baseDir);
        Stream.concat(SETTINGS.stream(), settings.stream()).forEach(setting -> options.append(" -c ").append(setting));
        asPostgres("pg_ctl", "-D", dataDir.toString(), "-l", log().toString(), "-o", options.toString(),
                "-w", "-t", "60", "start");
    }

    /**
     * A streaming standby of this cluster, in a cluster of its own: a base backup taken with a
     * replication slot ({@code pg_basebackup -R -C}), started in recovery, connecting to
     * {@code 127.0.0.1:upstreamPort} (this cluster's port, or a proxy in front of it) as
     * {@code applicationName}, which {@code synchronous_standby_names} can name.
     */
    PrivatePostgres startStandby(int upstreamPort, String applicationName) throws IOException {
        PrivatePostgres standby = create(List.of(), Map.of());
        try {
            standby.asPostgres("pg_basebackup", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres",
                    "-D", standby.dataDir.toString(), "-R", "-X", "stream", "-C", "-S", applicationName, "--no-sync");
            // after the line -R wrote, so it wins
            Files.writeString(standby.dataDir.resolve("postgresql.auto.conf"), "primary_conninfo = 'host=127.0.0.1"
                    + " port=" + upstreamPort + " user=postgres application_name=" + applicationName + "'\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            standby.startServer();
            return standby;
        } catch (IOException | RuntimeException e) {
            standby.close();
            throw e;
        }
    }

    /** {@code pg_ctl promote}: a standby ends recovery and becomes a primary, waited for. */
    void promote() throws IOException {
        asPostgres("pg_ctl", "-D", dataDir.toString(), "-w", "-t", "60", "promote");
    }

    /**
     * The immediate crash of the database host: {@code kill -9} of the postmaster and of every
     * process it started, all at once. Nothing is flushed, nobody is told; the cluster stays down.
     * They are all stopped first ({@code SIGSTOP}, the postmaster first so it forks no more), so
     * that no backend answers a client between the postmaster's death and its own.
     */
    void kill() throws IOException {
        ProcessHandle postmaster = postmaster().orElseThrow(() -> new IllegalStateException("not running"));
        List<String> stop = new ArrayList<>(List.of("kill", "-STOP", Long.toString(postmaster.pid())));
        postmaster.descendants().forEach(process -> stop.add(Long.toString(process.pid())));
        run(stop.toArray(String[]::new));
        List<ProcessHandle> processes = new ArrayList<>(List.of(postmaster));
        postmaster.descendants().forEach(processes::add);
        processes.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!processes.stream().allMatch(PrivatePostgres::dead)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("a server process outlived kill -9: " + processes);
            }
            ReliabilityDatabase.sleep(10);
        }
    }

    /**
     * Whether a process has died, reaped or not: the orphans of a killed postmaster stay zombies
     * until whoever adopted them reaps them, which may take a while (and onExit() of a process
     * that is not our child looks only every 300 ms and more).
     */
    private static boolean dead(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"), StandardCharsets.UTF_8);
            return stat.substring(stat.lastIndexOf(')') + 1).trim().startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    private Optional<ProcessHandle> postmaster() {
        try {
            List<String> pidFile = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return pidFile.isEmpty() ? Optional.empty()
                    : ProcessHandle.of(Long.parseLong(pidFile.get(0).trim())).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    int port() {
        return port;
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    Path log() {
        return baseDir.resolve("server.log");
    }

    /** {@code pg_ctl restart -m fast}: a clean shutdown, every client disconnected, then up again. */
    void restart() throws IOException {
        asPostgres("pg_ctl", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60", "restart");
    }

    /** {@code pg_ctl restart -m immediate}: the server dies without a checkpoint and recovers from its WAL. */
    void crashAndRestart() throws IOException {
        asPostgres("pg_ctl", "-D", dataDir.toString(), "-m", "immediate", "-w", "-t", "60", "restart");
    }

    private void asPostgres(String tool, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("runuser", "-u", "postgres", "--", "env"));
        environment.forEach((name, value) -> command.add(name + "=" + value));
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    /**
     * Runs a command, its output appended to a file of its own: a server it starts may keep it open.
     * A failure reports what this command wrote there, not what the ones before it did.
     */
    private void run(String... command) throws IOException {
        Path output = baseDir.resolve("commands.log");
        long before = Files.exists(output) ? Files.size(output) : 0;
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 90 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (process.exitValue() != 0) {
            byte[] written = Files.readAllBytes(output);
            throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": "
                    + new String(written, (int) Math.min(before, written.length),
                            (int) Math.max(0, written.length - before), StandardCharsets.UTF_8));
        }
    }

    /** Stops the cluster, fast, and removes its directory. */
    @Override
    public void close() {
        try {
            if (postmaster().isPresent()) {
                asPostgres("pg_ctl", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60", "stop");
            }
        } catch (IOException e) {
            System.err.println("Could not stop the private PostgreSQL cluster in " + baseDir + ": " + e.getMessage());
        }
        TempFiles.deleteQuietly(baseDir);
    }
}

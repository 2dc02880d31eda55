package dev.apilock.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own, in a temporary directory on a free port with its own
 * log, which the test may restart and crash at will: the shared server is never touched. Made
 * with the server binaries of the machine's PostgreSQL ({@code initdb}, {@code pg_ctl}) run as
 * the {@code postgres} user through {@code runuser}, so it needs root.
 */
final class PrivatePostgres implements AutoCloseable {

    private final Path bin;
    private final Path baseDir;
    private final Path dataDir;
    private final int port;

    private PrivatePostgres(Path bin, Path baseDir, int port) {
        this.bin = bin;
        this.baseDir = baseDir;
        this.dataDir = baseDir.resolve("data");
        this.port = port;
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
        Path bin = serverBinaries().orElseThrow();
        Path baseDir = Files.createTempDirectory("apilock-pg-");
        PrivatePostgres cluster = new PrivatePostgres(bin, baseDir, H2TcpServer.freePort());
        try {
            cluster.run("chown", "postgres:postgres", baseDir.toString());
            cluster.asPostgres("initdb", "-D", cluster.dataDir.toString(), "-A", "trust", "-U", "postgres",
                    "-E", "UTF8", "--locale=C", "--no-sync");
            cluster.asPostgres("pg_ctl", "-D", cluster.dataDir.toString(), "-l", cluster.log().toString(),
                    "-o", "-p " + cluster.port + " -k " + baseDir + " -c listen_addresses=127.0.0.1"
                            + " -c max_connections=40 -c shared_buffers=16MB",
                    "-w", "-t", "60", "start");
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
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
        List<String> command = new ArrayList<>(List.of("runuser", "-u", "postgres", "--", bin.resolve(tool).toString()));
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    /** Runs a command, its output appended to a file of its own: a server it starts may keep it open. */
    private void run(String... command) throws IOException {
        Path output = baseDir.resolve("commands.log");
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
            throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": "
                    + Files.readString(output, StandardCharsets.UTF_8));
        }
    }

    /** Stops the cluster, fast, and removes its directory. */
    @Override
    public void close() {
        try {
            if (Files.exists(dataDir.resolve("postmaster.pid"))) {
                asPostgres("pg_ctl", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60", "stop");
            }
        } catch (IOException e) {
            System.err.println("Could not stop the private PostgreSQL cluster in " + baseDir + ": " + e.getMessage());
        }
        TempFiles.deleteQuietly(baseDir);
    }
}

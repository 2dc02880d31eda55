package dev.apilock.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The run from which {@code mvn package} builds the launcher's class-data-sharing archive: each
 * command once, in one JVM started with {@code -XX:ArchiveClassesAtExit}, so that the archive
 * holds the classes a command loads (picocli, H2, Liquibase, Hibernate and the drivers). Works
 * on an H2 file database of its own, in a new directory under the one it is given and deleted
 * afterwards; the PostgreSQL and MariaDB drivers get as far as a refused connection, which loads
 * most of what they use. Exits non-zero if a command does not end as it should: a build whose
 * command line cannot run a lock should not pass.
 */
final class CdsTraining {

    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path parent = Files.createDirectories(Path.of(args[0]));
        Path work = Files.createTempDirectory(parent, "training");
        String h2 = "jdbc:h2:file:" + work.toAbsolutePath().resolve("apilock") + ";AUTO_SERVER=TRUE";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Run> runs = List.of(
                new Run(0, "--version"),
                new Run(0, "run", "--help"),
                new Run(0, "migrate"),
                new Run(0, "run", "--type", "cds-training", "--", java, "-version"),
                new Run(0, "run", "--type", "cds-training", "--wait", "1s", "--keep-alive", "--", java, "-version"),
                new Run(0, "status"),
                new Run(0, "status", "--json"),
                new Run(0, "history", "--limit", "5"),
                new Run(0, "history", "--json"),
                new Run(0, "release", "--type", "cds-training", "--force"),
                new Run(0, "purge", "--older-than", "30d"),
                new Run(ExitCode.USAGE, "run", "--type", "bad type", "--", java),
                new Run(ExitCode.UNAVAILABLE, "status", "--url", "jdbc:postgresql://127.0.0.1:1/apilock"),
                new Run(ExitCode.UNAVAILABLE, "status", "--url", "jdbc:mariadb://127.0.0.1:1/apilock"));
        int failed = 0;
        for (Run run : runs) {
            List<String> command = new ArrayList<>(List.of(run.args()));
            if (!command.contains("--url")) {
                command.addAll(1, List.of("--url", h2));
            }
            int exitCode = ApiLockCli.execute(command.toArray(String[]::new));
            if (exitCode != run.exitCode()) {
                System.err.println("CDS training: apilock " + String.join(" ", run.args()) + " exited " + exitCode
                        + ", expected " + run.exitCode());
                failed++;
            }
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    private record Run(int exitCode, String... args) {
    }
}

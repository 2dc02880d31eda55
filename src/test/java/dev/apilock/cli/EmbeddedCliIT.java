package dev.apilock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apilock.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command line on its embedded default: no --url, an H2 file database under ./.apilock/ of
 * the working directory (here a temporary one), shared between processes in auto-server mode.
 */
class EmbeddedCliIT extends CliContract {

    @Override
    Cli cli(Path directory) {
        return new Cli(directory, List.of(), Map.of());
    }

    @Override
    TestDatabase database() {
        return TestDatabase.inspect(TestDatabase.Kind.H2,
                "jdbc:h2:file:" + directory.resolve(".apilock/apilock").toAbsolutePath() + ";AUTO_SERVER=TRUE",
                "sa", "");
    }

    @Test
    void theEmbeddedDatabaseIsSharedByTwoProcessesFromTheirFirstUse() throws Exception {
        Path fresh = Files.createTempDirectory(directory, "fresh");
        Cli here = new Cli(fresh, List.of(), Map.of());
        String[] child = holdUntilGo("both");
        String[] args = Stream.concat(Stream.of("run", "--type", "shared", "--"), Stream.of(child)).toArray(String[]::new);

        // both start on a directory without a database: both create it, one migrates, the other waits
        Cli.Running first = here.start(args);
        Cli.Running second = here.start(args);
        Files2.await(fresh.resolve("both.held"), PATIENCE, null);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (first.isAlive() && second.isAlive() && System.nanoTime() < deadline) {
            Pause.sleep(100);
        }
        Cli.Running loser = first.isAlive() ? second : first;
        Cli.Result refused = loser.await();
        Files2.touch(fresh.resolve("both.go"));
        Cli.Result winner = (loser == first ? second : first).await();

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(75);
        assertThat(refused.err()).contains("lock shared is held by ");
        assertThat(winner.exitCode()).as(winner.toString()).isZero();
        assertThat(fresh.resolve(".apilock/apilock.mv.db")).exists();
        Cli.Result history = here.run("history", "--json");
        assertThat(json(history).getAsJsonArray("locks")).hasSize(1);
    }

    static Stream<Arguments> badInput() {
        String overlong = "x".repeat(256);
        return Stream.of(
                Arguments.of("empty type", List.of("run", "--type", "", "--", "true"), "Lock type name must not be blank"),
                Arguments.of("blank type", List.of("run", "--type", "   ", "--", "true"), "must not be blank, was '   '"),
                Arguments.of("type with a space", List.of("run", "--type", "a b", "--", "true"), "was 'a b'"),
                Arguments.of("type with quotes", List.of("run", "--type", "x';DROP TABLE api_locks;--", "--", "true"),
                        "was 'x';DROP TABLE api_locks;--'"),
                Arguments.of("non-ASCII type", List.of("run", "--type", "tÿpe", "--", "true"), "was 'tÿpe'"),
                Arguments.of("overlong type", List.of("run", "--type", "t".repeat(129), "--", "true"),
                        "at most 128 characters, was 129"),
                Arguments.of("empty user", List.of("run", "--type", "t", "--user", "", "--", "true"),
                        "User must not be blank"),
                Arguments.of("whitespace user", List.of("run", "--type", "t", "--user", " \t ", "--", "true"),
                        "User must not be blank"),
                Arguments.of("overlong user", List.of("run", "--type", "t", "--user", overlong, "--", "true"),
                        "User must be at most 255 characters, was 256"),
                Arguments.of("control character in user", List.of("run", "--type", "t", "--user", "a\u0007b", "--", "true"),
                        "was 'a\\u0007b'"),
                Arguments.of("blank reference", List.of("run", "--type", "t", "--reference", " ", "--", "true"),
                        "Reference id must not be blank"),
                Arguments.of("overlong reference", List.of("run", "--type", "t", "--reference", overlong, "--", "true"),
                        "Reference id must be at most 255"),
                Arguments.of("newline in reference", List.of("run", "--type", "t", "--reference", "a\nb", "--", "true"),
                        "was 'a\\u000ab'"),
                Arguments.of("zero expiry", List.of("run", "--type", "t", "--expires", "0s", "--", "true"),
                        "must be positive, was PT0S"),
                Arguments.of("negative expiry", List.of("run", "--type", "t", "--expires", "-5s", "--", "true"),
                        "'-5s' is not a duration"),
                Arguments.of("negative ISO expiry", List.of("run", "--type", "t", "--expires", "-PT5S", "--", "true"),
                        "must be positive, was PT-5S"),
                Arguments.of("absurd expiry", List.of("run", "--type", "t", "--expires", "99999999d", "--", "true"),
                        "must be at most PT720H"),
                Arguments.of("fractional expiry", List.of("run", "--type", "t", "--expires", "PT1.5S", "--", "true"),
                        "whole number of seconds"),
                Arguments.of("absurd wait", List.of("run", "--type", "t", "--wait", "400d", "--", "true"),
                        "Maximum wait must be between"),
                Arguments.of("no command", List.of("run", "--type", "t"), "Missing required parameter"),
                Arguments.of("no type", List.of("run", "--", "true"), "Missing required option: '--type=TYPE'"),
                Arguments.of("bad status type", List.of("status", "--type", "a;b"), "was 'a;b'"),
                Arguments.of("zero history limit", List.of("history", "--limit", "0"), "was 0"),
                Arguments.of("non-numeric history limit", List.of("history", "--limit", "ten"), "'ten'"),
                Arguments.of("blank lock id", List.of("release", " "), "Lock id must not be blank"),
                Arguments.of("malformed lock id", List.of("release", "1' OR '1'='1"), "26-character ULID"),
                Arguments.of("lock id and type", List.of("release", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "--type", "t", "--force"),
                        "either a LOCK_ID or --type"),
                Arguments.of("zero purge age", List.of("purge", "--older-than", "0s"), "was PT0S"),
                Arguments.of("absurd purge age", List.of("purge", "--older-than", "99999999d"), "Purge age must be"),
                Arguments.of("unsupported URL", List.of("status", "--url", "jdbc:oracle:thin:@db:1521/x"),
                        "Unsupported database URL"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputIsRefusedWith64BeforeAnythingIsWritten(String label, List<String> args, String expected)
            throws IOException {
        Path fresh = Files.createTempDirectory(directory, "bad");
        Cli.Result result = new Cli(fresh, List.of(), Map.of()).runExactly(args.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(64);
        assertOneCleanLine(result);
        assertThat(result.err()).as(result.toString()).contains(expected);
        assertThat(result.out()).isEmpty();
        assertThat(fresh.resolve(".apilock")).as("no database created, nothing written").doesNotExist();
    }

    @Test
    void helpAndVersionNeedNoDatabase() throws IOException {
        Path fresh = Files.createTempDirectory(directory, "help");
        Cli here = new Cli(fresh, List.of(), Map.of());
        Cli.Result help = here.runExactly("run", "--help");
        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.out()).startsWith("Usage: apilock run ").contains("--wait=DURATION", "--url=JDBC_URL");
        Cli.Result version = here.runExactly("--version");
        assertThat(version.out()).matches("apilock \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\n");
        Cli.Result none = here.runExactly();
        assertThat(none.exitCode()).isEqualTo(64);
        assertThat(none.err()).startsWith("Usage: apilock ");
        assertThat(fresh.resolve(".apilock")).doesNotExist();
    }

    @Test
    void anUnreachableDatabaseIs69WithThePasswordHidden() {
        Cli.Result result = cli.runExactly("status", "--url",
                "jdbc:postgresql://127.0.0.1:1/test?user=ops&password=s3cret-in-url", "--db-password", "s3cret-option");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(69);
        assertOneCleanLine(result);
        assertThat(result.err()).contains("Cannot connect to jdbc:postgresql://127.0.0.1:1/test?user=ops&password=***")
                .contains("refused")
                .doesNotContain("s3cret");
    }

    @Test
    void theConnectionComesFromTheEnvironmentToo() throws IOException {
        Path elsewhere = Files.createTempDirectory(directory, "env");
        String url = "jdbc:h2:file:" + directory.resolve(".apilock/apilock").toAbsolutePath()
                + ";AUTO_SERVER=TRUE";
        Cli viaEnvironment = new Cli(elsewhere, List.of(), Map.of("APILOCK_URL", url, "APILOCK_DB_USER", "sa"));
        Cli.Result result = viaEnvironment.run("run", "--type", type(), "--", "true");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(elsewhere.resolve(".apilock")).doesNotExist();
        assertThat(json(cli.run("history", "--type", type(), "--json")).getAsJsonArray("locks")).hasSize(1);
    }
}

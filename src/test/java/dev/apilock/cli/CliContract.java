package dev.apilock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.apilock.LockTable;
import dev.apilock.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line end to end: the real cli jar in separate processes against a real database,
 * as a shell job or an operator would use it. Each subclass supplies the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CliContract {

    static final Duration PATIENCE = Duration.ofSeconds(120);

    Path directory;
    Cli cli;
    LockTable table;
    private String type;

    /** The command line on the database under test, working in {@code directory}. */
    abstract Cli cli(Path directory);

    /** A plain-SQL view of the database under test, once the command line has created it. */
    abstract TestDatabase database();

    @BeforeAll
    void setUp() throws IOException {
        directory = Files.createTempDirectory("apilock-cli-" + getClass().getSimpleName());
        cli = cli(directory);
    }

    @AfterAll
    void deleteDirectory() throws IOException {
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @BeforeEach
    void newType(TestInfo info) {
        type = info.getTestMethod().orElseThrow().getName() + "-" + info.getDisplayName().replaceAll("[^A-Za-z0-9]", "");
        type = type.length() > 100 ? type.substring(0, 100) : type;
    }

    @AfterEach
    void historyStaysConsistent() {
        if (table == null && Files.exists(databaseFile())) {
            table = new LockTable(database());
        }
        if (table != null) {
            table.assertConsistent();
        }
    }

    /** The embedded database's file, for subclasses that use it; a path that never exists otherwise. */
    Path databaseFile() {
        return directory.resolve(".apilock/apilock.mv.db");
    }

    /** A child that records its lock and pid in NAME.held and runs until NAME.go exists. */
    static String[] holdUntilGo(String name) {
        return new String[] {"sh", "-c", "echo \"$APILOCK_LOCK_ID $APILOCK_FENCING_TOKEN $$\" > " + name + ".held;"
                + " while [ ! -e " + name + ".go ]; do sleep 0.1; done"};
    }

    /** Starts {@code run} of this test's type with a holding child; returns once the child runs. */
    Holder hold(String label, String... options) {
        String name = type + "." + label; // files of their own: tests share the working directory
        String[] head = Stream.concat(Stream.of("run", "--type", type), Stream.of(options)).toArray(String[]::new);
        String[] args = Stream.concat(Stream.concat(Stream.of(head), Stream.of("--")), Stream.of(holdUntilGo(name)))
                .toArray(String[]::new);
        Cli.Running running = cli.start(args);
        String[] held = Files2.await(directory.resolve(name + ".held"), PATIENCE, running).split(" ");
        return new Holder(name, running, held[0], Long.parseLong(held[1]), Long.parseLong(held[2]));
    }

    record Holder(String name, Cli.Running process, String lockId, long fencingToken, long childPid) {
    }

    Cli.Result finish(Holder holder) {
        Files2.touch(cli.directory().resolve(holder.name() + ".go"));
        return holder.process().await();
    }

    String type() {
        return type;
    }

    static void assertOneCleanLine(Cli.Result result) {
        assertThat(result.errLines()).as(result.toString()).hasSize(1);
        assertThat(result.err()).as(result.toString()).startsWith("apilock: ").doesNotContain("\tat ", "Exception");
    }

    static JsonObject json(Cli.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return JsonParser.parseString(result.out()).getAsJsonObject();
    }

    static Optional<JsonObject> lockOf(JsonObject document, String lockId) {
        JsonArray locks = document.getAsJsonArray("locks");
        for (int i = 0; i < locks.size(); i++) {
            JsonObject lock = locks.get(i).getAsJsonObject();
            if (lock.get("lockId").getAsString().equals(lockId)) {
                return Optional.of(lock);
            }
        }
        return Optional.empty();
    }

    @Test
    void secondRunOfTheSameTypeExits75NamingTheHolderAndRunsNothing() {
        Holder alice = hold("alice", "--user", "alice", "--reference", "job-17");

        Cli.Result blocked = cli.run("run", "--type", type, "--user", "bob", "--", "sh", "-c", "echo never; touch " + type + ".ran");

        assertThat(blocked.exitCode()).as(blocked.toString()).isEqualTo(75);
        assertOneCleanLine(blocked);
        assertThat(blocked.err()).contains("lock " + type + " is held by alice for reference job-17 (lock "
                + alice.lockId() + ", fencing token " + alice.fencingToken() + "), expires in ");
        assertThat(blocked.out()).isEmpty();
        assertThat(directory.resolve(type + ".ran")).doesNotExist();
        assertThat(finish(alice).exitCode()).isZero();
    }

    @Test
    void waitGetsTheLockOnceTheHolderExits() {
        Holder first = hold("first");
        Cli.Running waiter = cli.start("run", "--verbose", "--type", type, "--wait", "2m", "--", "sh", "-c",
                "echo token=$APILOCK_FENCING_TOKEN");
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!waiter.errSoFar().contains("refused, held by") && waiter.isAlive() && System.nanoTime() < deadline) {
            Pause.sleep(100);
        }
        assertThat(waiter.isAlive()).as("the waiter waits while the lock is held").isTrue();

        assertThat(finish(first).exitCode()).isZero();
        Cli.Result waited = waiter.await();

        assertThat(waited.exitCode()).as(waited.toString()).isZero();
        assertThat(waited.out()).contains("token=");
        long token = Long.parseLong(waited.out().strip().substring("token=".length()));
        assertThat(token).isGreaterThan(first.fencingToken());
    }

    /**
     * On a terminal, a wait is one line on stderr, rewritten in place, naming the holder and its
     * time left, and erased before the command runs; with stderr in a file, nothing of it.
     */
    @Test
    void waitShowsItsProgressOnATerminalOnly() {
        Holder holder = hold("holder", "--user", "alice", "--reference", "job-7");
        Cli.Running onTerminal = cli.startOnTerminal("run", "--type", type, "--wait", "2m", "--", "echo", "terminal-ran");
        Cli.Running inFile = cli.start("run", "--type", type, "--wait", "2m", "--", "echo", "file-ran");
        String waiting = "\rapilock: waiting for lock " + type + " (";
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (onTerminal.outSoFar().split(Pattern.quote(waiting), -1).length < 3 && onTerminal.isAlive()
                && System.nanoTime() < deadline) {
            Pause.sleep(100); // until the line has been drawn twice
        }

        assertThat(finish(holder).exitCode()).isZero();
        Cli.Result terminal = onTerminal.await();
        Cli.Result file = inFile.await();

        assertThat(terminal.exitCode()).as(terminal.toString()).isZero();
        String screen = terminal.out();
        assertThat(screen).as(screen).containsPattern(Pattern.quote(waiting) + "\\d+ s of 2m\\): held by alice for job-7, \\d+\\.\\d s left")
                .doesNotContain("\n" + waiting.substring(1));
        String afterWait = screen.substring(screen.lastIndexOf(waiting) + 1);
        assertThat(afterWait).as("erased, then the command's output").matches("(?s)[^\r\n]*\r +\rterminal-ran\r?\n");
        assertThat(file.exitCode()).as(file.toString()).isZero();
        assertThat(file.err()).as("stderr is a file: no progress").isEmpty();
        assertThat(file.out()).isEqualTo("file-ran\n");
    }

    @Test
    void aSignalEndsAWaitWithoutTouchingTheHolder() {
        Holder holder = hold("holder");
        Cli.Running waiter = cli.start("run", "--verbose", "--type", type, "--wait", "2m", "--", "touch", type + ".ran");
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!waiter.errSoFar().contains("refused, held by") && waiter.isAlive() && System.nanoTime() < deadline) {
            Pause.sleep(100);
        }

        waiter.signal("TERM");
        Cli.Result result = waiter.await();

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(128 + 15);
        assertThat(directory.resolve(type + ".ran")).doesNotExist();
        JsonObject status = json(cli.run("status", "--type", type, "--json"));
        assertThat(lockOf(status, holder.lockId())).as("still held by the first").isPresent();
        assertThat(finish(holder).exitCode()).isZero();
    }

    @Test
    void keepAliveHoldsTheLockPastItsExpiryWhileTheCommandRuns() {
        // Not shorter: an extension must survive the seconds an embedded database may take to change hands.
        Holder holder = hold("long", "--expires", "15s", "--keep-alive");
        Pause.sleep(25_000); // well past the expiry: without keep-alive the lock would be free

        Cli.Result blocked = cli.run("run", "--type", type, "--", "true");

        assertThat(blocked.exitCode()).as(blocked + "--- holder's stderr:\n" + holder.process().errSoFar())
                .isEqualTo(75);
        assertThat(blocked.err()).contains("(lock " + holder.lockId() + ",");
        assertThat(finish(holder).exitCode()).isZero();
        JsonObject history = json(cli.run("history", "--type", type, "--json"));
        assertThat(lockOf(history, holder.lockId())).hasValueSatisfying(lock ->
                assertThat(lock.get("releaseReason").getAsString()).as("released by its holder, never reclaimed")
                        .isEqualTo("RELEASED"));
    }

    @Test
    void theChildsExitCodeAndLockEnvironmentArePassedThrough() {
        Cli.Result result = cli.run("run", "--type", type, "--", "sh", "-c",
                "echo \"$APILOCK_LOCK_ID $APILOCK_LOCK_TYPE $APILOCK_FENCING_TOKEN\"; echo to-stderr >&2; exit 7");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(7);
        assertThat(result.out()).matches("[0-9A-Z]{26} " + type + " [1-9][0-9]*\\n");
        assertThat(result.err()).isEqualTo("to-stderr\n");
        String lockId = result.out().substring(0, 26);
        JsonObject history = json(cli.run("history", "--type", type, "--json"));
        assertThat(lockOf(history, lockId)).hasValueSatisfying(lock ->
                assertThat(lock.get("releaseReason").getAsString()).isEqualTo("RELEASED"));
    }

    @Test
    void lockIsReleasedWhenTheChildIsKilledBySignal() {
        Holder holder = hold("victim", "--expires", "10m");
        Files2.exec("kill", "-KILL", Long.toString(holder.childPid()));

        Cli.Result result = holder.process().await();

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(128 + 9);
        assertReleasedNotExpired(holder);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void lockIsReleasedWhenTheCliItselfIsSignalled(String signal) {
        Holder holder = hold("signalled-" + signal, "--expires", "10m");

        holder.process().signal(signal);
        Cli.Result result = holder.process().await();

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(128 + ("TERM".equals(signal) ? 15 : 2));
        assertThat(ProcessHandle.of(holder.childPid()).map(ProcessHandle::isAlive)).as("the child was stopped too")
                .satisfiesAnyOf(alive -> assertThat(alive).isEmpty(), alive -> assertThat(alive).hasValue(false));
        assertReleasedNotExpired(holder);
    }

    /** Released by its holder well before its 10-minute expiry: the next run gets in at once. */
    private void assertReleasedNotExpired(Holder holder) {
        JsonObject history = json(cli.run("history", "--type", type, "--json"));
        assertThat(lockOf(history, holder.lockId())).hasValueSatisfying(lock -> {
            assertThat(lock.get("state").getAsString()).isEqualTo("RELEASED");
            assertThat(lock.get("releaseReason").getAsString()).isEqualTo("RELEASED");
        });
        Cli.Result next = cli.run("run", "--type", type, "--", "true");
        assertThat(next.exitCode()).as(next.toString()).isZero();
    }

    @Test
    void statusShowsTheHolderAsTableAndJson() {
        Holder holder = hold("status", "--user", "alice", "--reference", "deploy-42");

        Cli.Result text = cli.run("status", "--type", type);
        assertThat(text.exitCode()).as(text.toString()).isZero();
        List<String> lines = text.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("TYPE +HOLDER +REFERENCE +LOCK ID +ACQUIRED +EXPIRES IN +FENCING TOKEN");
        assertThat(lines.get(1)).matches(type + " +alice +deploy-42 +" + holder.lockId()
                + " +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +\\d+\\.\\d s +" + holder.fencingToken());

        JsonObject all = json(cli.run("status", "--json"));
        assertThat(lockOf(all, holder.lockId())).hasValueSatisfying(lock -> {
            assertThat(lock.get("type").getAsString()).isEqualTo(type);
            assertThat(lock.get("user").getAsString()).isEqualTo("alice");
            assertThat(lock.get("reference").getAsString()).isEqualTo("deploy-42");
            assertThat(lock.get("fencingToken").getAsLong()).isEqualTo(holder.fencingToken());
            assertThat(lock.get("expiresInSeconds").getAsLong()).isBetween(1L, 60L);
            assertThat(lock.get("state").getAsString()).isEqualTo("active");
        });
        assertThat(finish(holder).exitCode()).isZero();

        Cli.Result none = cli.run("status", "--type", type);
        assertThat(none.out()).isEqualTo("No lock of type " + type + " is held.\n");
    }

    @Test
    void releaseByIdAndByTypeAreAdministrativeAndHistoryShowsIt() {
        Holder first = hold("first", "--user", "alice");
        Cli.Result byId = cli.run("release", first.lockId());
        assertThat(byId.exitCode()).as(byId.toString()).isZero();
        assertThat(byId.out()).startsWith("Released lock " + first.lockId() + " of type " + type + ", held by alice")
                .endsWith("; reason FORCED.\n");

        Holder second = hold("second", "--user", "bob");
        Cli.Result refused = cli.run("release", "--type", type);
        assertThat(refused.exitCode()).isEqualTo(64);
        assertOneCleanLine(refused);
        assertThat(refused.err()).contains("add --force");

        Cli.Result byType = cli.run("release", "--type", type, "--force");
        assertThat(byType.out()).startsWith("Released lock " + second.lockId() + " of type " + type + ", held by bob");
        Cli.Result nothing = cli.run("release", "--type", type, "--force");
        assertThat(nothing.exitCode()).isZero();
        assertThat(nothing.out()).isEqualTo("No lock of type " + type + " is held; nothing to release.\n");
        Cli.Result again = cli.run("release", first.lockId());
        assertThat(again.out()).contains("was already released at").contains("(FORCED); nothing to release.");

        assertThat(finish(first).exitCode()).as("the holders ran on, their own release found nothing").isZero();
        assertThat(finish(second).exitCode()).isZero();

        Cli.Result history = cli.run("history", "--type", type);
        List<String> lines = history.out().lines().toList();
        assertThat(lines.get(0)).matches("ACQUIRED +TYPE +USER +REFERENCE +LOCK ID +TOKEN +STATE +RELEASED AT");
        assertThat(lines.subList(1, lines.size())).hasSize(2)
                .satisfiesExactly(
                        newest -> assertThat(newest).contains(second.lockId()).contains(" FORCED "),
                        oldest -> assertThat(oldest).contains(first.lockId()).contains(" FORCED "));

        Cli.Result unknown = cli.run("release", "01ARZ3NDEKTSV4RRFFQ69G5FAV");
        assertThat(unknown.exitCode()).isEqualTo(64);
        assertOneCleanLine(unknown);
        assertThat(unknown.err()).contains("Unknown lock id '01ARZ3NDEKTSV4RRFFQ69G5FAV'");
    }

    @Test
    void purgeDeletesOldHistoryButNeverAnActiveLock() {
        Cli.Result done = cli.run("run", "--type", type, "--", "true");
        assertThat(done.exitCode()).isZero();
        Holder holder = hold("active");
        Pause.sleep(1_500); // both rows now acquired more than 1 s ago

        Cli.Result purge = cli.run("purge", "--older-than", "1s");

        assertThat(purge.exitCode()).as(purge.toString()).isZero();
        assertThat(purge.out()).matches("Purged [1-9][0-9]* lock rows? released or expired and acquired more than 1s ago\\.\\n");
        JsonObject history = json(cli.run("history", "--type", type, "--json"));
        assertThat(history.getAsJsonArray("locks")).hasSize(1);
        assertThat(lockOf(history, holder.lockId())).isPresent();
        JsonObject status = json(cli.run("status", "--type", type, "--json"));
        assertThat(lockOf(status, holder.lockId())).as("still held").isPresent();
        assertThat(finish(holder).exitCode()).isZero();
    }

    @Test
    void sqlMetacharactersAndNonAsciiInUserAndReferenceAreStoredVerbatim() {
        String user = "o'brien\"; DROP TABLE api_locks; --";
        String reference = "Zoë 渡辺 ' OR '1'='1";
        Cli.Result result = cli.run("run", "--type", type, "--user", user, "--reference", reference, "--", "true");
        assertThat(result.exitCode()).as(result.toString()).isZero();

        JsonObject history = json(cli.run("history", "--type", type, "--json"));
        JsonObject lock = history.getAsJsonArray("locks").get(0).getAsJsonObject();
        assertThat(lock.get("user").getAsString()).isEqualTo(user);
        assertThat(lock.get("reference").getAsString()).isEqualTo(reference);
    }

    @Test
    void unknownCommandsAndMalformedDurationsAreUsageErrors() {
        Cli.Result unknown = cli.runExactly("frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(64);
        assertOneCleanLine(unknown);
        assertThat(unknown.err()).contains("Unknown command 'frobnicate'");

        Cli.Result duration = cli.run("run", "--type", type, "--expires", "10x", "--", "true");
        assertThat(duration.exitCode()).isEqualTo(64);
        assertOneCleanLine(duration);
        assertThat(duration.err()).contains("'10x' is not a duration");

        Cli.Result purge = cli.run("purge", "--older-than", "thirty days");
        assertThat(purge.exitCode()).isEqualTo(64);
        assertThat(purge.err()).contains("'thirty days' is not a duration");
    }

    /** Sleeping in tests without checked exceptions. */
    static final class Pause {

        private Pause() {
        }

        static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}

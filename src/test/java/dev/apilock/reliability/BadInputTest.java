package dev.apilock.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.apilock.ApiLockAcquireException;
import dev.apilock.ApiLockPersistence;
import dev.apilock.ApiLockSetupException;
import dev.apilock.LockHandle;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad and hostile input through the public API, beyond what the contract suite and
 * {@code LockTypeTest} already cover: Unicode whitespace, broken surrogates, lengths at the
 * limits, SQL metacharacters in every string, expiries at the limits, odd callbacks, and a
 * property-style fuzz over random strings. Every input either fails before any connection with
 * {@link ApiLockSetupException} and nothing written, or is stored verbatim.
 */
abstract class BadInputTest extends ReliabilityTest {

    static final Duration MINUTE = Duration.ofSeconds(60);
    /** Random cases per fuzz; {@code -Psoak} raises it. */
    static final int FUZZ_CASES = Boolean.getBoolean("apilock.soak") ? 20_000 : 400;

    private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z0-9_.:/-]{1,128}");

    LockTemplate template;
    LockTemplate otherInstance;
    AtomicInteger connections = new AtomicInteger();


    @BeforeAll
    void openTemplates() {
        template = new LockTemplate(ApiLockPersistence.createEntityManagerFactory(
                CountingDataSource.wrap(database.pool("apilock-bad-input", 2), connections)));
        otherInstance = new LockTemplate(database.testDatabase().entityManagerFactory());
    }

    LockType newType() {
        return newType(MINUTE);
    }

    /** Runs a request that must fail before any connection, with nothing written. */
    void assertRejectedBeforeAnySql(Runnable request, String message) {
        List<String> before = table.snapshot();
        int connectionsBefore = connections.get();
        assertThatThrownBy(request::run).isInstanceOf(ApiLockSetupException.class).hasMessageContaining(message);
        assertThat(connections.get()).as("connections asked for").isEqualTo(connectionsBefore);
        assertThat(table.snapshot()).as("nothing written").isEqualTo(before);
    }

    static Stream<String> invisibleOnly() {
        return Stream.of("\u00A0", "\u2003", "\u3000", " \u00A0\t", "\u2028", "\u2029\u2029", "\u200B", "\uFEFF",
                "\u202F\u205F", "\u200D\u200C");
    }

    @ParameterizedTest
    @MethodSource("invisibleOnly")
    void idsOfOnlyUnicodeSpacesOrInvisibleCharactersAreBlank(String invisible) {
        LockType type = newType();
        assertRejectedBeforeAnySql(() -> template.execute(type, invisible, "alice", lock -> "x"),
                "Reference id must not be blank");
        assertRejectedBeforeAnySql(() -> template.execute(type, "req", invisible, lock -> "x"),
                "User must not be blank");
    }

    static Stream<String> lineBreakingOrDisguising() {
        return Stream.of("alice\u2028root", "req\u2029-2", "evil\u202Etxt.exe", "a\u2066b\u2069", "x\u202Ay");
    }

    @ParameterizedTest
    @MethodSource("lineBreakingOrDisguising")
    void separatorsAndBidiOverridesInsideAnIdAreRejected(String sneaky) {
        LockType type = newType();
        assertRejectedBeforeAnySql(() -> template.execute(type, "req", sneaky, lock -> "x"),
                "User must not contain control characters, line separators, bidirectional overrides");
        assertRejectedBeforeAnySql(() -> template.execute(type, sneaky, "alice", lock -> "x"),
                "Reference id must not contain control characters, line separators, bidirectional overrides");
    }

    static Stream<String> brokenUtf16() {
        return Stream.of("\uD800", "a\uDC00b", "\uDC00\uD800", "end\uD83D", "\uDE00start");
    }

    @ParameterizedTest
    @MethodSource("brokenUtf16")
    void brokenSurrogatesAreRejectedNamingTheValue(String broken) {
        LockType type = newType();
        assertRejectedBeforeAnySql(() -> template.execute(type, "req", broken, lock -> "x"),
                "User must not contain control characters, line separators, bidirectional overrides or broken surrogates, was '");
        assertRejectedBeforeAnySql(() -> template.execute(type, broken, "alice", lock -> "x"),
                "Reference id must not contain control characters, line separators, bidirectional overrides or broken surrogates");
    }

    /** The limit counts UTF-16 code units, as {@link String#length()} does: an emoji counts two. */
    @Test
    void lengthLimitsHoldForNonAsciiToo() {
        LockType type = newType();
        String accents = "é".repeat(255);
        String emoji = "🙂".repeat(127);
        assertStoredVerbatim(type, accents, emoji);
        assertRejectedBeforeAnySql(() -> template.execute(type, "é".repeat(256), "alice", lock -> "x"),
                "Reference id must be at most 255 characters, was 256");
        assertRejectedBeforeAnySql(() -> template.execute(type, "req", "🙂".repeat(128), lock -> "x"),
                "User must be at most 255 characters, was 256");
    }

    static Stream<String> sqlMetacharacters() {
        return Stream.of("'", "''", "\"", "\\", "\\'", ";", "--", "/*", "*/", "%", "_", "?", "$1", "$$", ":name",
                "?1", "{fn now()}", "{d '2020-01-01'}", "' OR '1'='1", "'); DROP TABLE api_locks; --",
                "E'\\x00'", "`id`", "[id]", "'||pg_sleep(5)||'", "\\\\'; SHUTDOWN; --");
    }

    @ParameterizedTest
    @MethodSource("sqlMetacharacters")
    void sqlMetacharactersInUserAndReferenceAreStoredVerbatim(String nasty) {
        assertStoredVerbatim(newType(), "ref " + nasty, nasty + " user");
    }

    @ParameterizedTest
    @MethodSource("sqlMetacharacters")
    void sqlMetacharactersInTypeNamesAreRejectedUnlessInTheAlphabet(String nasty) {
        String name = "t" + nasty;
        if (TYPE_NAME.matcher(name).matches()) {
            LockType type = LockType.of(name, MINUTE);
            LockHandle handle = template.execute(type, "req", "alice", lock -> lock);
            assertThat(table.count("id = ? AND lock_type = ?", handle.lockId(), name)).isEqualTo(1);
        } else {
            assertThatThrownBy(() -> LockType.of(name, MINUTE)).isInstanceOf(ApiLockSetupException.class)
                    .hasMessageContaining("may contain only ASCII letters, digits and _ - . : /");
        }
    }

    @Test
    void commentLikeTypeNamesAreStoredVerbatim() {
        for (String name : List.of("--", "a--b", "//", ":x", "..:--//", "-")) {
            LockHandle handle = template.execute(LockType.of(name, MINUTE), "req", "alice", lock -> lock);
            assertThat(table.count("id = ? AND lock_type = ?", handle.lockId(), name)).as(name).isEqualTo(1);
        }
    }

    @Test
    void shortestAndLongestExpiriesAreStoredExactly() {
        for (Duration expiry : List.of(Duration.ofSeconds(1), LockType.MAX_EXPIRY)) {
            LockType type = LockType.of(newType().name(), expiry);
            LockHandle handle = template.execute(type, "req", "alice", lock -> lock);
            assertThat(database.instant("expires_at", handle.lockId()))
                    .isEqualTo(database.instant("acquired_at", handle.lockId()).plus(expiry))
                    .isEqualTo(handle.expiresAt());
            assertThat(table.queryLong("SELECT expires FROM api_locks WHERE id = ?", handle.lockId()))
                    .isEqualTo(expiry.toSeconds());
        }
    }

    @Test
    void emptyCallbacksAndNullResultsAreOrdinarySuccesses() {
        LockType type = newType();
        String result = template.execute(type, "req-1", "alice", lock -> null);
        assertThat(result).isNull();
        template.executeWithoutResult(type, "req-2", "alice", lock -> { });
        assertThat(table.count("lock_type = ? AND release_reason = 'RELEASED'", type.name())).isEqualTo(2);
    }

    @Test
    void reentryWithAWaitIsRefusedAtOnceNotAfterTheWait() {
        LockType type = newType();
        long start = System.nanoTime();
        ApiLockAcquireException refusal = template.execute(type, "req-1", "alice", held ->
                catchThrowableOfType(ApiLockAcquireException.class,
                        () -> template.execute(type, "req-1", "alice", Duration.ofSeconds(30), lock -> "nested")));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(refusal.getMessage()).contains("not reentrant");
        assertThat(millis).as("refused without waiting").isLessThan(10_000);
        assertThat(table.count("lock_type = ?", type.name())).isEqualTo(1);
    }

    /**
     * A second template is another application instance as far as the lock knows: re-entering
     * through it is an ordinary conflict, refused fail-fast, and with a wait it waits for itself
     * until the wait is over.
     */
    @Test
    void reentryThroughAnotherTemplateIsAConflictThatNeverWaitsForItself() {
        LockType type = newType();
        template.execute(type, "req-1", "alice", held -> {
            ApiLockAcquireException failFast = catchThrowableOfType(ApiLockAcquireException.class,
                    () -> otherInstance.execute(type, "req-1", "alice", lock -> "nested"));
            assertThat(failFast.holder()).map(h -> h.lockId()).hasValue(held.lockId());
            assertThat(failFast.getMessage()).doesNotContain("reentrant");

            long start = System.nanoTime();
            Throwable waited = catchThrowable(() ->
                    otherInstance.execute(type, "req-1", "alice", Duration.ofSeconds(30), lock -> "nested"));
            assertThat(waited).isInstanceOf(ApiLockAcquireException.class)
                    .hasMessageContaining("holds this lock type itself")
                    .hasMessageNotContaining("Gave up after waiting");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not waiting for itself")
                    .isLessThan(Duration.ofSeconds(5));
            return null;
        });
        assertThat(table.count("lock_type = ?", type.name())).isEqualTo(1);
    }

    /**
     * Random users and reference ids: each is either refused before any connection, with
     * nothing written, exactly when the documented rule says so, or stored verbatim.
     */
    @Test
    void randomUsersAndReferencesAreRefusedEarlyOrStoredVerbatim() {
        long seed = Long.getLong("apilock.fuzz.seed", System.nanoTime());
        RandomText random = new RandomText(seed);
        LockType type = newType();
        int stored = 0;
        int refused = 0;
        for (int i = 0; i < FUZZ_CASES; i++) {
            String user = i % 3 == 2 ? "alice" : random.text();
            String reference = i % 3 == 1 ? "req-" + i : random.text();
            String label = "seed " + seed + ", case " + i + ": user '" + escape(user) + "', reference '"
                    + escape(reference) + "'";
            if (valid(user) && valid(reference)) {
                assertThat(catchThrowable(() -> assertStoredVerbatim(type, reference, user))).as(label).isNull();
                stored++;
            } else {
                // No connection asked for is the proof that nothing was written; the full snapshot
                // comparison confirms it for the first cases (it grows too slow for a soak).
                List<String> before = i < 1_000 ? table.snapshot() : null;
                long rowsBefore = table.count();
                int connectionsBefore = connections.get();
                Throwable thrown = catchThrowable(() -> template.execute(type, reference, user, lock -> "x"));
                assertThat(thrown).as(label).isInstanceOf(ApiLockSetupException.class);
                assertThat(thrown.getMessage()).as(label).startsWith(valid(reference) ? "User " : "Reference id ");
                assertThat(connections.get()).as(label).isEqualTo(connectionsBefore);
                assertThat(table.count()).as(label).isEqualTo(rowsBefore);
                if (before != null) {
                    assertThat(table.snapshot()).as(label).isEqualTo(before);
                }
                refused++;
            }
        }
        assertThat(table.count("lock_type = ?", type.name())).as("one row per success").isEqualTo(stored);
        System.out.printf("RELIABILITY %s fuzz users/references (seed %d): %d cases, %d stored verbatim, %d refused"
                + " early%n", target(), seed, FUZZ_CASES, stored, refused);
    }

    @Test
    void randomTypeNamesAreRefusedEarlyOrStoredVerbatim() {
        long seed = Long.getLong("apilock.fuzz.seed", System.nanoTime());
        RandomText random = new RandomText(seed);
        int stored = 0;
        int refused = 0;
        for (int i = 0; i < FUZZ_CASES; i++) {
            String name = random.typeName();
            String label = "seed " + seed + ", case " + i + ": type '" + escape(name) + "'";
            Throwable thrown = catchThrowable(() -> LockType.of(name, MINUTE));
            if (TYPE_NAME.matcher(name).matches()) {
                assertThat(thrown).as(label).isNull();
                if (table.count("lock_type = ?", name) == 0) {
                    LockHandle handle = template.execute(LockType.of(name, MINUTE), "req", "alice", lock -> lock);
                    assertThat(table.count("id = ? AND lock_type = ?", handle.lockId(), name)).as(label).isEqualTo(1);
                    stored++;
                }
            } else {
                assertThat(thrown).as(label).isInstanceOf(ApiLockSetupException.class)
                        .hasMessageStartingWith("Lock type name");
                refused++;
            }
        }
        System.out.printf("RELIABILITY %s fuzz type names (seed %d): %d cases, %d distinct stored verbatim, %d refused"
                + " early%n", target(), seed, FUZZ_CASES, stored, refused);
    }

    /**
     * The documented rule for users and reference ids, restated independently of the code: 1 to
     * 255 UTF-16 units, something visible, no control character, no line or paragraph separator,
     * no bidirectional embedding, override or isolate, no broken surrogate.
     */
    static boolean valid(String text) {
        if (text.isEmpty() || text.length() > 255) {
            return false;
        }
        boolean visible = text.codePoints().anyMatch(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c)
                && Character.getType(c) != Character.FORMAT);
        boolean clean = text.codePoints().noneMatch(c -> Character.isISOControl(c)
                || Character.getType(c) == Character.SURROGATE
                || Character.getType(c) == Character.LINE_SEPARATOR
                || Character.getType(c) == Character.PARAGRAPH_SEPARATOR
                || Character.getDirectionality(c) == Character.DIRECTIONALITY_LEFT_TO_RIGHT_EMBEDDING
                || Character.getDirectionality(c) == Character.DIRECTIONALITY_RIGHT_TO_LEFT_EMBEDDING
                || Character.getDirectionality(c) == Character.DIRECTIONALITY_LEFT_TO_RIGHT_OVERRIDE
                || Character.getDirectionality(c) == Character.DIRECTIONALITY_RIGHT_TO_LEFT_OVERRIDE
                || Character.getDirectionality(c) == Character.DIRECTIONALITY_POP_DIRECTIONAL_FORMAT
                || Character.getDirectionality(c) == Character.DIRECTIONALITY_LEFT_TO_RIGHT_ISOLATE
                || Character.getDirectionality(c) == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ISOLATE
                || Character.getDirectionality(c) == Character.DIRECTIONALITY_FIRST_STRONG_ISOLATE
                || Character.getDirectionality(c) == Character.DIRECTIONALITY_POP_DIRECTIONAL_ISOLATE);
        return visible && clean;
    }

    void assertStoredVerbatim(LockType type, String reference, String user) {
        LockHandle handle = template.execute(type, reference, user, lock -> lock);
        try (Connection connection = database.testDatabase().connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT locked_by, reference_id, lock_type FROM api_locks WHERE id = ?")) {
            statement.setString(1, handle.lockId());
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(user);
                assertThat(rs.getString(2)).isEqualTo(reference);
                assertThat(rs.getString(3)).isEqualTo(type.name());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c < 0x20 || c > 0x7E ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }
}

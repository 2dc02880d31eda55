package dev.apilock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apilock.ApiLockSetupException;
import dev.apilock.LockAdmin;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import dev.apilock.TestDatabase;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line checks its input before it opens the database; it must refuse exactly what
 * the library refuses, in the library's words. Each case goes to both: {@link Inputs}, and the
 * real {@link LockTemplate} and {@link LockAdmin} on an H2 database, where valid input really
 * takes a lock or reads the table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InputsTest {

    private static final LockType TYPE = LockType.of("inputs", Duration.ofSeconds(5));

    private TestDatabase database;
    private LockTemplate template;
    private LockAdmin admin;

    @BeforeAll
    void createDatabase() {
        database = TestDatabase.create(TestDatabase.Kind.H2, "inputs");
        template = new LockTemplate(database.entityManagerFactory());
        admin = new LockAdmin(database.entityManagerFactory());
    }

    @AfterAll
    void dropDatabase() {
        database.close();
    }

    static Stream<String> texts() {
        String x = "x";
        return Stream.of("alice", "Zoë 渡辺", "emoji 🙂", "o'brien\"; DROP TABLE api_locks; --", " padded ", x.repeat(255),
                "", " ", " \t ", "\u00a0", "\u3000", "\u200b", " \u200b\u00a0", x.repeat(256), x.repeat(300) + "\n",
                "a\u0007b", "a\nb", "a\rb", "tab\there", "a\u0000b", "a\u2028b", "a\u2029b", "a\u202eb", "a\u2066b",
                "lone \ud800 surrogate", "low \udc00", "a\u0085b", "\u007f");
    }

    @ParameterizedTest
    @MethodSource("texts")
    void usersAreRefusedAsTheLockTemplateRefusesThem(String user) {
        assertSameOutcome(() -> Inputs.text("User", user),
                () -> template.execute(TYPE, "reference", user, lock -> "held"));
    }

    @ParameterizedTest
    @MethodSource("texts")
    void referencesAreRefusedAsTheLockTemplateRefusesThem(String reference) {
        assertSameOutcome(() -> Inputs.text("Reference id", reference),
                () -> template.execute(TYPE, reference, "user", lock -> "held"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "PT1S", "PT24H", "PT24H0.001S", "P400D", "PT-1S", "PT0.5S"})
    void waitsAreRefusedAsTheLockTemplateRefusesThem(String wait) {
        Duration maxWait = Duration.parse(wait);
        assertSameOutcome(() -> Inputs.maxWait(maxWait),
                () -> template.execute(TYPE, "reference", "user", maxWait, lock -> "held"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"configdocs_update", "a", "x:y/z-1.2_3", "a b", "", " ", "tÿpe", "a;b",
            "x';DROP TABLE api_locks;--", "ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt"})
    void typeNamesAreRefusedAsTheLockAdminRefusesThem(String name) {
        assertSameOutcome(() -> Inputs.typeName(name), () -> admin.active(name));
        assertSameOutcome(() -> Inputs.typeName(name), () -> admin.history(name, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 1, 20, 100_000, 100_001, Integer.MAX_VALUE})
    void historyLimitsAreRefusedAsTheLockAdminRefusesThem(int limit) {
        assertSameOutcome(() -> Inputs.historyLimit(limit), () -> admin.history(limit));
    }

    @ParameterizedTest
    @ValueSource(strings = {"01ARZ3NDEKTSV4RRFFQ69G5FAV", "01arz3ndektsv4rrffq69g5fav", " 01ARZ3NDEKTSV4RRFFQ69G5FAV ", "",
            " ", "1234", "1' OR '1'='1", "01ARZ3NDEKTSV4RRFFQ69G5FAVX", "01ARZ3NDEKTSV4RRFFQ69G5FAU",
            "01ARZ3NDEKTSV4RRFFQ69G5FA\u0007", "a very long lock id that goes on and on and on past forty characters"})
    void lockIdsAreRefusedAsTheLockAdminRefusesThem(String lockId) {
        assertSameOutcome(() -> Inputs.lockId(lockId), () -> admin.find(lockId));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT1S", "P30D", "P24000D", "P36500DT1S", "P99999D", "PT0S", "PT-1S", "PT1.5S", "PT0.001S"})
    void purgeAgesAreRefusedAsTheLockAdminRefusesThem(String age) {
        Duration olderThan = Duration.parse(age);
        assertSameOutcome(() -> Inputs.purgeAge(olderThan), () -> admin.purge(olderThan));
    }

    private static void assertSameOutcome(Supplier<?> cli, Supplier<?> library) {
        Optional<String> refusedByCli = refusal(cli);
        Optional<String> refusedByLibrary = refusal(library);
        assertThat(refusedByCli).as("the command line's verdict, beside the library's").isEqualTo(refusedByLibrary);
    }

    private static Optional<String> refusal(Supplier<?> call) {
        try {
            call.get();
            return Optional.empty();
        } catch (ApiLockSetupException e) {
            return Optional.of(e.getMessage());
        }
    }
}

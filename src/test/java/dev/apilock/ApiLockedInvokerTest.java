package dev.apilock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the Spring advice and the CDI interceptor share: resolving {@link ApiLocked} against the
 * declared types, running the method under its lock, and the HTTP problem for a refusal. On H2.
 */
class ApiLockedInvokerTest extends DatabaseTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }

    @ApiLocked("configdocs_update")
    void builtIn() {
    }

    @ApiLocked(value = "reports", maxWait = "30s", keepAlive = true)
    void declared() {
    }

    @ApiLocked("nowhere")
    void unknown() {
    }

    @ApiLocked(value = "reports", maxWait = "soon")
    void badWait() {
    }

    private static ApiLocked annotation(String method) {
        try {
            return ApiLockedInvokerTest.class.getDeclaredMethod(method).getAnnotation(ApiLocked.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private final LockTypes types = LockTypes.of(List.of(LockType.of("reports", Duration.ofMinutes(5))));

    private ApiLockedInvoker invoker(LockOperations locks, String user) {
        return new ApiLockedInvoker(locks, types, type -> new LockCaller(user, "req-" + type.name()));
    }

    @Test
    void annotationsResolveAgainstTheDeclaredTypesWithTheBuiltInOne() {
        ApiLockedInvoker invoker = invoker(template, "alice");
        assertThat(invoker.resolve(annotation("builtIn"), "builtIn").type()).isEqualTo(LockType.CONFIGDOCS_UPDATE);
        ApiLockedInvoker.LockedMethod declared = invoker.resolve(annotation("declared"), "declared");
        assertThat(declared.type()).isEqualTo(LockType.of("reports", Duration.ofMinutes(5)).withKeepAlive());
        assertThat(declared.maxWait()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void anUnknownTypeOrABadWaitIsRefusedNamingWhereItWasFound() {
        ApiLockedInvoker invoker = invoker(template, "alice");
        assertThatThrownBy(() -> invoker.resolve(annotation("unknown"), "@ApiLocked on Service.unknown"))
                .isInstanceOf(ApiLockSetupException.class)
                .hasMessageContaining("Unknown lock type 'nowhere' in @ApiLocked on Service.unknown")
                .hasMessageContaining("apilock.types.nowhere.expires");
        assertThatThrownBy(() -> invoker.resolve(annotation("badWait"), "@ApiLocked on Service.badWait"))
                .isInstanceOf(ApiLockSetupException.class).hasMessageContaining("Malformed maxWait 'soon'");
        assertThatThrownBy(() -> LockTypes.of(List.of(LockType.of("x", Duration.ofSeconds(1)),
                LockType.of("x", Duration.ofSeconds(2))))).isInstanceOf(ApiLockSetupException.class)
                .hasMessageContaining("declared twice");
    }

    @Test
    void theMethodRunsUnderItsLockWhichIsItsCurrentLock() throws Throwable {
        ApiLockedInvoker invoker = invoker(template, "alice");
        ApiLockedInvoker.LockedMethod locked = invoker.resolve(annotation("declared"), "declared");
        Object result = invoker.invoke(locked, () -> {
            LockHandle lock = CurrentLock.handle();
            assertThat(lock.type().name()).isEqualTo("reports");
            assertThat(table.count("id = ? AND NOT released AND locked_by = 'alice' AND reference_id = 'req-reports'",
                    lock.lockId())).isEqualTo(1);
            return lock.fencingToken();
        });
        assertThat(result).isEqualTo(table.queryLong("SELECT MAX(fencing_token) FROM api_locks WHERE lock_type = 'reports'"));
        assertThat(CurrentLock.find()).isEmpty();
    }

    @Test
    void checkedExceptionsComeOutUnchangedAndTheLockIsReleased() {
        ApiLockedInvoker invoker = invoker(template, "alice");
        ApiLockedInvoker.LockedMethod locked = invoker.resolve(annotation("builtIn"), "builtIn");
        IOException thrown = new IOException("disk full");
        assertThatThrownBy(() -> invoker.invoke(locked, () -> {
            throw thrown;
        })).isSameAs(thrown);
        assertThat(table.count("lock_type = 'configdocs_update' AND NOT released")).isZero();
    }

    @Test
    void aRefusalBecomesTheOriginsConflictProblem() throws Throwable {
        ApiLockedInvoker holder = invoker(template, "alice");
        ApiLockedInvoker refused = invoker(otherInstance, "bob");
        ApiLockedInvoker.LockedMethod locked = holder.resolve(annotation("builtIn"), "builtIn");
        ApiLockAcquireException blocked = (ApiLockAcquireException) holder.invoke(locked, () ->
                catchThrowableOfType(ApiLockAcquireException.class, () -> refused.invoke(locked, () -> "never")));

        ApiLockProblem problem = ApiLockProblem.of(blocked, false);
        assertThat(problem.status()).isEqualTo(409);
        assertThat(problem.title()).isEqualTo("Blocked by another process");
        assertThat(problem.detail()).isEqualTo("Another process is currently blocking this request with a lock for"
                + " configdocs_update. Lock expires in not more than 60 seconds");
        assertThat(problem.body()).containsEntry("type", "urn:apilock:problem:blocked-by-another-process")
                .containsEntry("lockType", "configdocs_update").containsEntry("heldBy", "alice")
                .containsEntry("reference", "req-configdocs_update").containsEntry("retry", false)
                .containsKey("expiresAt").doesNotContainKeys("lockId", "fencingToken");
        assertThat(problem.retryAfterSeconds()).hasValueSatisfying(seconds ->
                assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
        assertThat(ApiLockProblem.of(blocked, true).body()).containsKeys("lockId", "fencingToken");
        assertThat(ApiLockProblem.of(new ApiLockSetupException("User must not be blank"), false).status()).isEqualTo(400);
        ApiLockProblem unavailable = ApiLockProblem.of(new ApiLockException("Could not acquire: jdbc:x refused"), false);
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.detail()).doesNotContain("jdbc");
    }
}

package dev.apilock.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.apilock.ApiLockException;
import dev.apilock.LockHandle;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import dev.apilock.reliability.ReliabilityDatabase.Target;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Connection faults between an application instance and PostgreSQL, and the holder's backends
 * terminated by the server ({@code pg_terminate_backend}) while its callback runs.
 *
 * <p>What really happens then depends on HikariCP: a connection used less than 500 ms ago (its
 * alive-bypass window) is handed out unchecked, so a release right after the kill fails on the
 * dead connection, is logged, and the lock expires by itself; after a longer callback the pool
 * checks the connection, finds it dead and opens a new one, and the release succeeds.
 */
class PostgresConnectionFaultTest extends ConnectionFaultTest {

    /** Comfortably inside HikariCP's 500 ms window: the release certainly meets the dead connection. */
    private static final long FAST_CALLBACK_MILLIS = 400;

    @Override
    Target target() {
        return Target.POSTGRESQL;
    }

    @Override
    String refusedCause() {
        return "refused";
    }

    @Override
    String brokenCause() {
        return "I/O error";
    }

    @Test
    void backendsKilledMidCallbackAreReplacedAndTheReleaseStillSucceeds() {
        LockType type = newType(SHORT);
        String application = "apilock-killed-" + UUID.randomUUID().toString().substring(0, 8);
        LockTemplate instance = instance(application);

        LockHandle held = instance.execute(type, "req-1", "alice", lock -> {
            assertThat(terminateBackends(application)).as("backends of the holder terminated").isPositive();
            return lock; // released at once: the pool hands out the dead connection, the release retries
        });

        assertThat(table.count("id = ? AND release_reason = 'RELEASED'", held.lockId()))
                .as("released on a fresh connection, not left to expire").isEqualTo(1);
        String next = instance("apilock-next").execute(type, "req-2", "bob", LockHandle::lockId);
        assertThat(next).as("the next acquirer gets in without waiting for the expiry").isNotEqualTo(held.lockId());
    }

    @Test
    void backendsKilledMidCallbackKeepTheCallbackExceptionAndTheLockIsReleased() {
        LockType type = newType(SHORT);
        String application = "apilock-killed-" + UUID.randomUUID().toString().substring(0, 8);
        LockTemplate instance = instance(application);
        IllegalStateException thrown = new IllegalStateException("callback failed");
        AtomicReference<LockHandle> held = new AtomicReference<>();

        Throwable failure = catchThrowable(() -> instance.execute(type, "req-1", "alice", lock -> {
            held.set(lock);
            terminateBackends(application);
            throw thrown;
        }));

        assertThat(failure).isSameAs(thrown);
        assertThat(thrown.getSuppressed()).as("the release retried and succeeded").isEmpty();
        assertThat(table.count("id = ? AND release_reason = 'RELEASED'", held.get().lockId())).isEqualTo(1);
    }

    @Test
    void backendsKilledMidLongCallbackAreReplacedByThePoolAndTheReleaseSucceeds() {
        LockType type = newType(Duration.ofSeconds(60));
        String application = "apilock-killed-" + UUID.randomUUID().toString().substring(0, 8);
        LockTemplate instance = instance(application);

        String result = instance.execute(type, "req-1", "alice", lock -> {
            terminateBackends(application);
            ReliabilityDatabase.sleep(1_000);
            return lock.lockId();
        });

        assertThat(table.count("id = ? AND release_reason = 'RELEASED'", result)).isEqualTo(1);
        assertThat(table.count("lock_type = ?", type.name())).isEqualTo(1);
    }

    /** Terminates the backends of one application name and waits until they are gone. */
    private int terminateBackends(String application) {
        try (Connection connection = database.testDatabase().connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity"
                             + " WHERE application_name = ?")) {
            statement.setString(1, application);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The assertions about a failed release hold only if it came inside the pool's bypass window. */
    private static void assumeFast(long callbackStartNanos) {
        long millis = (System.nanoTime() - callbackStartNanos) / 1_000_000;
        Assumptions.assumeTrue(millis < FAST_CALLBACK_MILLIS, "callback and release took " + millis
                + " ms: HikariCP may have replaced the killed connection, so the release failure is not certain");
    }
}

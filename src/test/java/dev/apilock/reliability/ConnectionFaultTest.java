package dev.apilock.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.apilock.ApiLockAcquireException;
import dev.apilock.ApiLockException;
import dev.apilock.LockHandle;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The database going away under the lock: unreachable at acquire time, or the connection dropped
 * while a callback runs. A {@link TcpProxy} stands between the application instance and the
 * database and is cut and restored; the database itself keeps running.
 */
abstract class ConnectionFaultTest extends BehindProxyTest {

    static final Duration SHORT = Duration.ofSeconds(2);

    /** An application instance whose every connection goes through the proxy. */
    LockTemplate instanceBehindProxy(String application) {
        return new LockTemplate(unit(poolBehindProxy(application)));
    }

    /** An application instance connected straight to the database. */
    LockTemplate instance(String application) {
        return new LockTemplate(unit(directPool(application)));
    }

    /**
     * Three ways to meet an unreachable database: before the instance's first acquisition, after
     * it has worked (its pool holds a connection idle for longer than HikariCP's 500 ms
     * alive-bypass window, which it checks, finds dead and cannot replace), and right after a
     * connection was used (the pool hands out the dead connection unchecked).
     */
    @Test
    void unreachableDatabaseFailsTheAcquireClearlyWritesNothingAndLockingRecovers() {
        LockType type = newType(Duration.ofSeconds(60));
        LockTemplate instance = instanceBehindProxy("apilock-unreachable");
        AtomicInteger callbacks = new AtomicInteger();
        int acquired = 0;

        record Phase(String name, long idleMillis, String cause) {
        }
        for (Phase phase : List.of(
                new Phase("before its first acquisition", 600, refusedCause()),
                new Phase("after it has worked", 600, refusedCause()),
                new Phase("right after a connection was used", 0, brokenCause()))) {
            List<String> before = table.snapshot();
            proxy.cut();
            ReliabilityDatabase.sleep(phase.idleMillis());
            long start = System.nanoTime();
            Throwable failure = catchThrowable(() -> instance.execute(type, "req", "alice",
                    lock -> callbacks.incrementAndGet()));
            long failedAfterMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(failure).as(phase.name()).isExactlyInstanceOf(ApiLockException.class);
            assertThat(failure.getMessage()).as(phase.name())
                    .startsWith("Could not acquire lock ").contains("of type " + type.name())
                    .containsIgnoringCase(phase.cause());
            assertThat(callbacks).as("the callback never ran while unreachable").hasValue(acquired);
            assertThat(table.snapshot()).as("nothing written while unreachable").isEqualTo(before);

            proxy.restore();
            ReliabilityDatabase.sleep(600); // the pool checks, and replaces, what the cut killed
            int result = instance.execute(type, "req", "alice", lock -> callbacks.incrementAndGet());
            assertThat(result).as("the same instance acquires once the database is back, " + phase.name())
                    .isEqualTo(++acquired);
            System.out.printf("RELIABILITY %s unreachable %s: failed after %d ms with: %s%n", target(),
                    phase.name(), failedAfterMillis, failure.getMessage());
        }
        assertThat(table.count("lock_type = ?", type.name())).isEqualTo(acquired);
        assertThat(table.count("lock_type = ? AND release_reason = 'RELEASED'", type.name())).isEqualTo(acquired);
    }

    /** Words of the driver's own description of a refused connection. */
    abstract String refusedCause();

    /** Words of the driver's own description of a connection that broke. */
    abstract String brokenCause();

    @Test
    void connectionLostMidCallbackStillReturnsTheResultAndTheLockExpires() {
        LockType type = newType(SHORT);
        LockTemplate instance = instanceBehindProxy("apilock-lost-result");

        LockHandle held = instance.execute(type, "req-1", "alice", lock -> {
            proxy.cut();
            return lock;
        });

        assertThat(held).as("the callback's result, although the release failed").isNotNull();
        assertThat(table.count("id = ? AND NOT released", held.lockId())).as("left to expire").isEqualTo(1);
        proxy.restore();
        assertTakenOverAfterExpiry(type, held, instance);
    }

    @Test
    void connectionLostMidCallbackKeepsTheCallbackExceptionWithTheReleaseFailureSuppressed() {
        LockType type = newType(SHORT);
        LockTemplate instance = instanceBehindProxy("apilock-lost-exception");
        IllegalStateException thrown = new IllegalStateException("callback failed");
        AtomicReference<LockHandle> held = new AtomicReference<>();

        Throwable failure = catchThrowable(() -> instance.execute(type, "req-1", "alice", lock -> {
            held.set(lock);
            proxy.cut();
            throw thrown;
        }));

        assertThat(failure).isSameAs(thrown);
        assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(ApiLockException.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith("Could not release lock " + held.get().lockId()));
        proxy.restore();
        assertTakenOverAfterExpiry(type, held.get(), instance);
    }

    /**
     * HikariCP checks a connection that has been idle longer than its alive-bypass window (500 ms)
     * before handing it out, and replaces a dead one: a callback longer than that is released on
     * a fresh connection after a network blip.
     */
    @Test
    void connectionDroppedMidLongCallbackIsReplacedByThePoolForTheRelease() {
        LockType type = newType(Duration.ofSeconds(60));
        LockTemplate instance = instanceBehindProxy("apilock-blip");

        LockHandle held = instance.execute(type, "req-1", "alice", lock -> {
            proxy.dropConnections();
            ReliabilityDatabase.sleep(1_000);
            return lock;
        });

        assertThat(table.count("id = ? AND release_reason = 'RELEASED'", held.lockId())).isEqualTo(1);
        assertThat(table.count("lock_type = ?", type.name())).isEqualTo(1);
    }

    /**
     * A lock whose release failed is refused to others until its expiry by the database clock,
     * then taken over with a higher token, its row kept as EXPIRED; and the instance that lost
     * its connection locks normally again.
     */
    void assertTakenOverAfterExpiry(LockType type, LockHandle held, LockTemplate failedInstance) {
        LockTemplate other = instance("apilock-next");
        Throwable early = catchThrowable(() -> other.execute(type, "req-2", "bob", lock -> "x"));
        if (early != null) {
            assertThat(early).isInstanceOf(ApiLockAcquireException.class);
        }
        assertThat(early != null || !database.now().isBefore(held.expiresAt()))
                .as("refused while the lost lock is unexpired").isTrue();
        database.awaitClockPast(held.expiresAt());
        LockHandle next = other.execute(type, "req-2", "bob", lock -> lock);
        assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
        assertThat(table.count("id = ? AND release_reason = 'EXPIRED' AND released_at >= expires_at", held.lockId()))
                .isEqualTo(1);
        assertThat(failedInstance.execute(type, "req-3", "alice", LockHandle::lockId))
                .as("the instance that lost its connection locks again").isNotNull();
        // the early attempt took a row of its own if the lost lock had already expired by then
        assertThat(table.count("lock_type = ?", type.name())).isEqualTo(early == null ? 4 : 3);
    }
}

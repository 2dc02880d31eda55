package dev.apilock.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.apilock.ApiLockAcquireException;
import dev.apilock.ApiLockException;
import dev.apilock.LockHandle;
import dev.apilock.LockListener;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import dev.apilock.reliability.TcpProxy.Direction;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A network that drops packets silently, no reset, between an application instance and its
 * database: a proxy that keeps every connection open and forwards nothing, both ways or one way.
 * Every lock operation returns within its bound (a third of the lock's expiry; on top, where the
 * driver honours network timeouts, the pool's own wait for a connection) with an exception that
 * says what happened. H2's driver cannot time out a read, so over the network apilock runs its
 * operations on threads of their own and gives up on them at the bound, pool checks included; a silenced holder's lock expires
 * and is taken over, never earlier; a keep-alive that gets no answer marks its handle lost before the
 * lock would expire.
 */
abstract class SilentNetworkTest extends BehindProxyTest {

    static final Duration EXPIRY = Duration.ofSeconds(6);
    /** A third of the expiry: what the template derives for each operation. */
    static final Duration BOUND = EXPIRY.dividedBy(3);
    /** The test pools' connection timeout, which comes on top of the operation's bound. */
    static final Duration POOL_TIMEOUT = Duration.ofSeconds(2);
    /** The slack of a loaded machine over the bound, in scheduling and in the driver giving up. */
    static final Duration SLACK = Duration.ofMillis(2_500);

    LockTemplate behindProxy(String application, LockListener listener) {
        return LockTemplate.builder(unit(poolBehindProxy(application))).listener(listener).build();
    }

    LockTemplate direct(String application) {
        return new LockTemplate(unit(directPool(application)));
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** A lock operation returns within its bound, the pool's wait and the slack. */
    static void assertBounded(Duration took, String what) {
        assertThat(took).as(what + " took " + took).isLessThan(BOUND.plus(POOL_TIMEOUT).plus(SLACK));
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void anAcquisitionReturnsWithinItsBoundAndTheTypeIsFreeAgainAfterTheExpiryAtTheLatest(Direction direction) {
        LockType type = newType(EXPIRY);
        LockTemplate instance = behindProxy("silent-acquire", LockListener.NONE);
        instance.execute(type, "warm-up", "alice", lock -> "pool warmed up");

        proxy.silence(direction);
        long start = System.nanoTime();
        ApiLockException failure = catchThrowableOfType(ApiLockException.class,
                () -> instance.execute(type, "req-1", "alice", lock -> "must not run"));
        Duration took = since(start);

        assertThat(failure).isNotNull().isNotInstanceOf(ApiLockAcquireException.class);
        assertThat(failure.getMessage()).startsWith("Could not acquire lock")
                .containsAnyOf("no answer from the database within " + BOUND.toSeconds() + ".0 s", "no database connection",
                        "no connection from the pool");
        assertBounded(took, "acquisition, " + direction);

        // With answers lost (TO_CLIENT), the acquisition may have committed: a lock nobody knows of,
        // which blocks the type until its expiry and never longer.
        String next = direct("silent-acquire-next").execute(type, "req-2", "bob", EXPIRY.plusSeconds(4),
                LockHandle::lockId);
        assertThat(next).isNotNull();
        System.out.printf("RELIABILITY %s silent network (%s) at acquire: failed after %d ms with: %s%n", target(),
                direction, took.toMillis(), failure.getMessage());
    }

    @Test
    void aReleaseReturnsWithinItsBoundAndTheLockExpiresByItself() {
        LockType type = newType(EXPIRY);
        AtomicReference<Exception> releaseFailure = new AtomicReference<>();
        LockTemplate instance = behindProxy("silent-release", new LockListener() {
            @Override
            public void releaseFailed(LockHandle lock, Exception cause) {
                releaseFailure.set(cause);
            }
        });
        AtomicLong returning = new AtomicLong();
        LockHandle held = instance.execute(type, "req-1", "alice", lock -> {
            proxy.silence(Direction.BOTH);
            returning.set(System.nanoTime());
            return lock;
        });
        Duration took = since(returning.get());

        assertBounded(took, "release");
        assertThat(releaseFailure.get()).as("the release failed and said so").isNotNull();
        assertThat(releaseFailure.get().getMessage()).startsWith("Could not release lock " + held.lockId());
        assertThat(held.isHeld()).isFalse();

        LockTemplate other = direct("silent-release-other");
        assertThat(catchThrowableOfType(ApiLockAcquireException.class,
                () -> other.execute(type, "req-2", "bob", lock -> "x"))).as("still held until it expires").isNotNull();
        long token = other.execute(type, "req-3", "bob", EXPIRY.plusSeconds(4), LockHandle::fencingToken);
        assertThat(token).isGreaterThan(held.fencingToken());
        assertThat(table.count("id = ? AND release_reason = 'EXPIRED'", held.lockId())).isEqualTo(1);
        System.out.printf("RELIABILITY %s silent network at release: returned after %d ms; the lock expired and"
                + " was taken over with token %d > %d%n", target(), took.toMillis(), token, held.fencingToken());
    }

    @Test
    void anExtensionReturnsWithinItsBoundAndTheHandleIsLost() {
        LockType type = newType(EXPIRY);
        LockTemplate instance = behindProxy("silent-extend", LockListener.NONE);
        instance.execute(type, "req-1", "alice", lock -> {
            proxy.silence(Direction.BOTH);
            long start = System.nanoTime();
            ApiLockException failure = catchThrowableOfType(ApiLockException.class,
                    () -> lock.extend(Duration.ofSeconds(60)));
            Duration took = since(start);
            assertThat(failure).isNotNull();
            assertThat(failure.getMessage()).startsWith("Could not extend lock " + lock.lockId());
            assertBounded(took, "extension");
            assertThat(lock.isHeld()).as("lost once an extension failed").isFalse();
            System.out.printf("RELIABILITY %s silent network at extend: failed after %d ms%n", target(),
                    took.toMillis());
            return null;
        });
    }

    @Test
    void aKeepAliveWithoutAnswerMarksTheHandleLostBeforeTheLockExpires() throws Exception {
        LockType type = newType(EXPIRY).withKeepAlive();
        CompletableFuture<Long> lostAt = new CompletableFuture<>();
        LockTemplate instance = behindProxy("silent-keep-alive", new LockListener() {
            @Override
            public void lost(LockHandle lock, String reason) {
                lostAt.complete(System.nanoTime());
            }
        });
        AtomicReference<Instant> expiresAt = new AtomicReference<>();
        AtomicLong leaseEnd = new AtomicLong();
        instance.execute(type, "req-1", "alice", lock -> {
            long acquired = System.nanoTime();
            expiresAt.set(lock.expiresAt());
            proxy.silence(Direction.BOTH);
            leaseEnd.set(acquired + EXPIRY.toNanos());
            try {
                lostAt.get(EXPIRY.toMillis() * 2, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new AssertionError("the keep-alive never marked the lock lost", e);
            }
            assertThat(lock.isHeld()).isFalse();
            return null;
        });
        long marginMillis = (leaseEnd.get() - lostAt.get()) / 1_000_000;
        assertThat(marginMillis).as("lost this long before the lease, acquired on this side, ran out").isPositive();
        System.out.printf("RELIABILITY %s silent network under keep-alive: the handle was lost %d ms before its"
                + " lease ran out (expiry %d s, keep-alive bound %d ms)%n", target(), marginMillis, EXPIRY.toSeconds(),
                BOUND.toMillis());
    }

    /** The silenced holder keeps its lock for its expiry: no one else gets in earlier, and after it one does. */
    @Test
    void aSilencedHoldersLockIsTakenOverOnlyAfterItsExpiry() {
        LockType type = newType(EXPIRY);
        LockTemplate holder = behindProxy("silent-holder", LockListener.NONE);
        LockTemplate other = direct("silent-holder-other");
        AtomicReference<LockHandle> taken = new AtomicReference<>();
        holder.execute(type, "req-1", "alice", lock -> {
            proxy.silence(Direction.BOTH);
            int refusals = 0;
            while (taken.get() == null) {
                Instant now = database.now();
                try {
                    taken.set(other.execute(type, "req-2", "bob", l -> l));
                    assertThat(now).as("taken over before the expiry").isAfterOrEqualTo(lock.expiresAt().minusMillis(50));
                } catch (ApiLockAcquireException refused) {
                    refusals++;
                    assertThat(refused.holder()).map(h -> h.lockId()).hasValue(lock.lockId());
                    ReliabilityDatabase.sleep(100);
                }
            }
            assertThat(taken.get().fencingToken()).isGreaterThan(lock.fencingToken());
            System.out.printf("RELIABILITY %s silent network, silenced holder: %d refusals before its expiry, then"
                    + " taken over with token %d > %d%n", target(), refusals, taken.get().fencingToken(),
                    lock.fencingToken());
            return null;
        });
    }
}

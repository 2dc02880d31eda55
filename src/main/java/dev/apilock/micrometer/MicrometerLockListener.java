package dev.apilock.micrometer;

import dev.apilock.LockHandle;
import dev.apilock.LockInfo;
import dev.apilock.LockListener;
import dev.apilock.LockType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Publishes lock events as Micrometer meters, each tagged with the lock type:
 * <ul>
 *   <li>{@code apilock.acquire} counter, tag {@code outcome} = {@code acquired} | {@code blocked}
 *       (one {@code blocked} per refused attempt, so a waiting caller counts each retry);</li>
 *   <li>{@code apilock.acquire.duration} timer: from {@code execute} until acquired, waits included;</li>
 *   <li>{@code apilock.hold.duration} timer: from acquired until released;</li>
 *   <li>{@code apilock.release} counter, tag {@code outcome} = {@code released} | {@code failed};</li>
 *   <li>{@code apilock.lost} counter: holders that learned their lock was gone (expired, taken
 *       over, force-released, or not kept alive);</li>
 *   <li>{@code apilock.reclaimed} counter: expired locks of crashed holders taken back;</li>
 *   <li>{@code apilock.extend} counter: successful extensions.</li>
 * </ul>
 * Lock type names become tag values: if types are made per entity ({@code invoice:123}), pass
 * a {@code typeTag} that maps them to a few values ({@code invoice}) to keep cardinality low.
 */
public final class MicrometerLockListener implements LockListener {

    private final MeterRegistry registry;
    private final UnaryOperator<String> typeTag;

    public MicrometerLockListener(MeterRegistry registry) {
        this(registry, UnaryOperator.identity());
    }

    /** @param typeTag maps a lock type's name to the value of the {@code type} tag */
    public MicrometerLockListener(MeterRegistry registry, UnaryOperator<String> typeTag) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.typeTag = Objects.requireNonNull(typeTag, "typeTag");
    }

    @Override
    public void acquired(LockHandle lock, Duration waited) {
        counter("apilock.acquire", lock.type(), "acquired");
        timer("apilock.acquire.duration", lock.type()).record(waited);
    }

    @Override
    public void blocked(LockType type, Optional<LockInfo> holder) {
        counter("apilock.acquire", type, "blocked");
    }

    @Override
    public void expiredAndReclaimed(LockType type, LockInfo expired) {
        Counter.builder("apilock.reclaimed").tag("type", typeTag.apply(type.name())).register(registry).increment();
    }

    @Override
    public void released(LockHandle lock, Duration heldFor) {
        counter("apilock.release", lock.type(), "released");
        timer("apilock.hold.duration", lock.type()).record(heldFor);
    }

    @Override
    public void releaseFailed(LockHandle lock, Exception cause) {
        counter("apilock.release", lock.type(), "failed");
    }

    @Override
    public void lost(LockHandle lock, String reason) {
        Counter.builder("apilock.lost").tag("type", typeTag.apply(lock.type().name())).register(registry).increment();
    }

    @Override
    public void extended(LockHandle lock, Instant expiresAt) {
        Counter.builder("apilock.extend").tag("type", typeTag.apply(lock.type().name())).register(registry)
                .increment();
    }

    private void counter(String name, LockType type, String outcome) {
        Counter.builder(name)
                .tag("type", typeTag.apply(type.name()))
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    private Timer timer(String name, LockType type) {
        return Timer.builder(name).tag("type", typeTag.apply(type.name())).register(registry);
    }
}

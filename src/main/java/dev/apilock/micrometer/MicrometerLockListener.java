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
import java.util.Collection;
import java.util.List;
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
 *
 * <p>A meter appears when its first event happens, unless {@link #register} registers the meters of
 * the declared types up front.
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

    /**
     * Registers every meter of {@code types} now, at zero, so that dashboards and alerts see a type
     * before its first lock. Registering again changes nothing.
     */
    public void register(Collection<LockType> types) {
        for (LockType type : types) {
            for (String outcome : List.of("acquired", "blocked")) {
                counter("apilock.acquire", type, outcome);
            }
            for (String outcome : List.of("released", "failed")) {
                counter("apilock.release", type, outcome);
            }
            counter("apilock.lost", type);
            counter("apilock.reclaimed", type);
            counter("apilock.extend", type);
            timer("apilock.acquire.duration", type);
            timer("apilock.hold.duration", type);
        }
    }

    @Override
    public void acquired(LockHandle lock, Duration waited) {
        counter("apilock.acquire", lock.type(), "acquired").increment();
        timer("apilock.acquire.duration", lock.type()).record(waited);
    }

    @Override
    public void blocked(LockType type, Optional<LockInfo> holder) {
        counter("apilock.acquire", type, "blocked").increment();
    }

    @Override
    public void expiredAndReclaimed(LockType type, LockInfo expired) {
        counter("apilock.reclaimed", type).increment();
    }

    @Override
    public void released(LockHandle lock, Duration heldFor) {
        counter("apilock.release", lock.type(), "released").increment();
        timer("apilock.hold.duration", lock.type()).record(heldFor);
    }

    @Override
    public void releaseFailed(LockHandle lock, Exception cause) {
        counter("apilock.release", lock.type(), "failed").increment();
    }

    @Override
    public void lost(LockHandle lock, String reason) {
        counter("apilock.lost", lock.type()).increment();
    }

    @Override
    public void extended(LockHandle lock, Instant expiresAt) {
        counter("apilock.extend", lock.type()).increment();
    }

    private Counter counter(String name, LockType type, String outcome) {
        return Counter.builder(name)
                .tag("type", typeTag.apply(type.name()))
                .tag("outcome", outcome)
                .register(registry);
    }

    private Counter counter(String name, LockType type) {
        return Counter.builder(name).tag("type", typeTag.apply(type.name())).register(registry);
    }

    private Timer timer(String name, LockType type) {
        return Timer.builder(name).tag("type", typeTag.apply(type.name())).register(registry);
    }
}

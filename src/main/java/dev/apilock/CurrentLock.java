package dev.apilock;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The lock a method annotated with {@link ApiLocked} runs under, for the code it calls on the same
 * thread: its id, fencing token and expiry, {@link LockHandle#checkHeld()} before a step that must
 * not run without it.
 */
public final class CurrentLock {

    private static final ThreadLocal<Deque<LockHandle>> HELD = ThreadLocal.withInitial(ArrayDeque::new);

    private CurrentLock() {
    }

    /** The innermost {@code @ApiLocked} lock this thread runs under, if any. */
    public static Optional<LockHandle> find() {
        return Optional.ofNullable(HELD.get().peek());
    }

    /**
     * The innermost {@code @ApiLocked} lock this thread runs under.
     *
     * @throws IllegalStateException the thread runs under none
     */
    public static LockHandle handle() {
        LockHandle lock = HELD.get().peek();
        if (lock == null) {
            throw new IllegalStateException("No @ApiLocked method is running on this thread");
        }
        return lock;
    }

    /** The lock of {@code typeName} this thread runs under, if any, however deep. */
    public static Optional<LockHandle> of(String typeName) {
        return HELD.get().stream().filter(lock -> lock.type().name().equals(typeName)).findFirst();
    }

    static void enter(LockHandle lock) {
        HELD.get().push(lock);
    }

    static void leave() {
        Deque<LockHandle> held = HELD.get();
        held.pop();
        if (held.isEmpty()) {
            HELD.remove();
        }
    }
}

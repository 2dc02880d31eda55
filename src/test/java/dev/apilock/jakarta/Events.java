package dev.apilock.jakarta;

import dev.apilock.LockHandle;
import dev.apilock.LockListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What happened, in order: the locks' events as a {@link LockListener}, and what the test beans saw. */
final class Events implements LockListener {

    private final List<String> events = new CopyOnWriteArrayList<>();

    void add(String event) {
        events.add(event);
    }

    List<String> list() {
        return List.copyOf(events);
    }

    void clear() {
        events.clear();
    }

    @Override
    public void acquired(LockHandle lock, Duration waited) {
        events.add("acquired " + lock.type().name());
    }

    @Override
    public void released(LockHandle lock, Duration heldFor) {
        events.add("released " + lock.type().name());
    }
}

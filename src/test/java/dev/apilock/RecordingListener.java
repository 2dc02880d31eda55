package dev.apilock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Records lock events as short strings, in order, for assertions. */
final class RecordingListener implements LockListener {

    private final List<String> events = new ArrayList<>();

    synchronized List<String> events() {
        return new ArrayList<>(events);
    }

    synchronized long count(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).count();
    }

    private synchronized void add(String event) {
        events.add(event);
    }

    @Override
    public void acquired(LockHandle lock, Duration waited) {
        add("acquired " + lock.lockId());
    }

    @Override
    public void blocked(LockType type, Optional<LockInfo> holder) {
        add("blocked by " + holder.map(LockInfo::lockId).orElse("nobody"));
    }

    @Override
    public void expiredAndReclaimed(LockType type, LockInfo expired) {
        add("reclaimed " + expired.lockId() + " " + expired.releaseReason() + " released=" + expired.released());
    }

    @Override
    public void released(LockHandle lock, Duration heldFor) {
        add("released " + lock.lockId());
    }

    @Override
    public void releaseFailed(LockHandle lock, Exception cause) {
        add("release failed " + lock.lockId());
    }

    @Override
    public void extended(LockHandle lock, Instant expiresAt) {
        add("extended " + lock.lockId());
    }

    @Override
    public void lost(LockHandle lock, String reason) {
        add("lost " + lock.lockId() + ": " + reason);
    }
}

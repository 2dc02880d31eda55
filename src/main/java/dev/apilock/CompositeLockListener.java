package dev.apilock;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes each event to several listeners, and is also how the template shields itself from a
 * listener that throws: the failure is logged, the lock operation goes on.
 */
final class CompositeLockListener implements LockListener {

    private static final Logger log = LoggerFactory.getLogger(CompositeLockListener.class);

    private final List<LockListener> listeners;

    CompositeLockListener(List<LockListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    private void each(String event, Consumer<LockListener> call) {
        for (LockListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("Lock listener {} failed on {}; ignored", listener, event, e);
            }
        }
    }

    @Override
    public void acquired(LockHandle lock, Duration waited) {
        each("acquired", l -> l.acquired(lock, waited));
    }

    @Override
    public void blocked(LockType type, Optional<LockInfo> holder) {
        each("blocked", l -> l.blocked(type, holder));
    }

    @Override
    public void expiredAndReclaimed(LockType type, LockInfo expired) {
        each("expiredAndReclaimed", l -> l.expiredAndReclaimed(type, expired));
    }

    @Override
    public void released(LockHandle lock, Duration heldFor) {
        each("released", l -> l.released(lock, heldFor));
    }

    @Override
    public void releaseFailed(LockHandle lock, Exception cause) {
        each("releaseFailed", l -> l.releaseFailed(lock, cause));
    }

    @Override
    public void extended(LockHandle lock, Instant expiresAt) {
        each("extended", l -> l.extended(lock, expiresAt));
    }

    @Override
    public void lost(LockHandle lock, String reason) {
        each("lost", l -> l.lost(lock, reason));
    }
}

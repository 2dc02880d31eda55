package dev.apilock.cli;

import dev.apilock.ApiLockException;
import dev.apilock.LockHandle;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * The command {@code run} starts under the lock, and what happens when apilock is told to stop.
 *
 * <p>SIGINT, SIGTERM and SIGHUP are handled, not left to the JVM: the JVM's answer, shutdown,
 * would run H2's shutdown hook too, which closes an embedded database while the lock still has to
 * be released in it. Instead the signal is passed on to the child as SIGTERM, the child ends, the
 * lock is released as after any exit, and apilock exits with 128 + the signal's number. A
 * signal before the lock is held ends the acquisition (or the {@code --wait}): the database
 * refuses further attempts, see {@link #stopRequestedWhileAcquiring()}. Should the JVM shut down for any other reason, a
 * shutdown hook does the same as far as it can.
 */
final class ChildProcess {

    private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");
    /** How long the child gets to end after SIGTERM in a shutdown before it is killed. */
    private static final long CHILD_GRACE_SECONDS = 10;
    /** How long a shutdown waits for the release after the child has ended. */
    private static final long RELEASE_GRACE_SECONDS = 15;

    private final List<String> command;
    private final CountDownLatch released = new CountDownLatch(1);
    private final Thread shutdownHook = new Thread(this::onShutdown, "apilock-shutdown");
    private volatile boolean holding;
    private volatile int signal;
    private volatile boolean shuttingDown;
    private volatile Process process;

    ChildProcess(List<String> command) {
        this.command = List.copyOf(command);
    }

    /** From now until {@link #lockReleased()}, signals to apilock go to the child, and the lock is released. */
    void armSignalForwarding() {
        for (String name : SIGNALS) {
            try {
                Signal.handle(new Signal(name), this::onSignal);
            } catch (IllegalArgumentException e) {
                // not a signal on this platform, or reserved: the shutdown hook covers it
            }
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Runs the command while the lock is held and returns its exit code (128 + signal if a signal ended it). */
    int run(LockHandle lock) {
        holding = true;
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("APILOCK_LOCK_ID", lock.lockId());
        builder.environment().put("APILOCK_LOCK_TYPE", lock.type().name());
        builder.environment().put("APILOCK_FENCING_TOKEN", Long.toString(lock.fencingToken()));
        synchronized (this) {
            if (signal != 0 || shuttingDown) {
                return 128 + (signal != 0 ? signal : 15); // told to stop before the command started
            }
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new CannotRunException("Cannot run '" + Output.printable(command.get(0)) + "': "
                        + e.getMessage(), e);
            }
        }
        return waitUninterruptibly(process);
    }

    /**
     * Whether apilock was told to stop before it got the lock: then no further attempt should be
     * made. Once the lock is held, the release must still go through, so this turns false.
     */
    boolean stopRequestedWhileAcquiring() {
        return signal != 0 && !holding;
    }

    /** The number of the signal apilock received, or 0. */
    int signal() {
        return signal;
    }

    /** After the lock is released (or was never acquired): lets a pending shutdown finish. */
    void lockReleased() {
        released.countDown();
        if (!shuttingDown) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // shutting down already, or never armed
            }
        }
    }

    private void onSignal(Signal received) {
        Process child;
        boolean again;
        synchronized (this) {
            again = signal != 0;
            if (!again) {
                signal = received.getNumber();
            }
            child = process;
        }
        if (child != null) {
            if (again) {
                child.destroyForcibly(); // a second signal: stop now
            } else {
                child.destroy(); // SIGTERM
            }
        }
        // still acquiring: stopRequestedWhileAcquiring() makes the next attempt fail at once
    }

    private void onShutdown() {
        Process child;
        synchronized (this) {
            shuttingDown = true;
            child = process;
        }
        try {
            if (child != null && child.isAlive()) {
                child.destroy();
                if (!child.waitFor(CHILD_GRACE_SECONDS, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                    child.waitFor(CHILD_GRACE_SECONDS, TimeUnit.SECONDS);
                }
            }
            released.await(RELEASE_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int waitUninterruptibly(Process process) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The command could not be started: not found, not executable. */
    static final class CannotRunException extends ApiLockException {

        private static final long serialVersionUID = 1L;

        CannotRunException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

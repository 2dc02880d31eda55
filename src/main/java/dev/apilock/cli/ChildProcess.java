package dev.apilock.cli;

import dev.apilock.ApiLockException;
import dev.apilock.LockHandle;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The command {@code run} starts under the lock, and what happens when apilock itself is told to
 * stop. A JVM shutdown hook (SIGINT, SIGTERM) passes the signal on to the child as SIGTERM, waits
 * for it to exit, then waits for the lock to be released before the JVM is allowed to end.
 */
final class ChildProcess {

    /** How long the child gets to end after SIGTERM before it is killed. */
    private static final long CHILD_GRACE_SECONDS = 10;
    /** How long the shutdown waits for the release after the child has ended. */
    private static final long RELEASE_GRACE_SECONDS = 15;

    private final List<String> command;
    private final CountDownLatch released = new CountDownLatch(1);
    private final Thread shutdownHook = new Thread(this::onShutdown, "apilock-shutdown");
    private volatile boolean shuttingDown;
    private volatile Process process;

    ChildProcess(List<String> command) {
        this.command = List.copyOf(command);
    }

    /** From now until {@link #lockReleased()}, a signal to apilock goes to the child and waits for the release. */
    void armSignalForwarding() {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Runs the command while the lock is held and returns its exit code (128 + signal if a signal ended it). */
    int run(LockHandle lock) {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("APILOCK_LOCK_ID", lock.lockId());
        builder.environment().put("APILOCK_LOCK_TYPE", lock.type().name());
        builder.environment().put("APILOCK_FENCING_TOKEN", Long.toString(lock.fencingToken()));
        synchronized (this) {
            if (shuttingDown) {
                return 128 + 15; // told to stop before the command started: do not start it
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

    private void onShutdown() {
        Process child;
        synchronized (this) {
            shuttingDown = true;
            child = process;
        }
        try {
            if (child != null && child.isAlive()) {
                child.destroy(); // SIGTERM
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

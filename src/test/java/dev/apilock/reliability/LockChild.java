package dev.apilock.reliability;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.apilock.ApiLockAcquireException;
import dev.apilock.ApiLockPersistence;
import dev.apilock.LockHandle;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One application instance in a separate JVM, started by {@link ChildJvm}. Arguments are
 * {@code key=value} pairs; it reports on standard output in lines of {@code WORD key=value ...}.
 *
 * <ul>
 *   <li>{@code mode=contend}: {@code threads} threads take the lock fail-fast until the process
 *   has {@code cycles} successes. Inside the lock each callback appends {@code ENTER}/{@code EXIT}
 *   to the shared event log, takes an OS file lock on the shared oracle file (not getting it means
 *   another holder is inside) and does a non-atomic read-sleep-write of a counter file.</li>
 *   <li>{@code mode=hold}: takes the lock once, reports {@code HELD} and keeps the callback
 *   running until the file {@code release} exists (or forever, to be killed).</li>
 *   <li>{@code mode=await}: tries fail-fast every 50 ms until it gets the lock, then reports
 *   {@code ACQUIRED} with what every refusal said.</li>
 * </ul>
 * Every mode waits for the file {@code go} after reporting {@code READY}.
 */
public final class LockChild {

    private final Map<String, String> args;
    private final LockTemplate template;
    private final LockType type;
    private final String pid = Long.toString(ProcessHandle.current().pid());

    private LockChild(Map<String, String> args, LockTemplate template) {
        this.args = args;
        this.template = template;
        this.type = LockType.of(args.get("type"), Duration.ofSeconds(Long.parseLong(args.get("expiry"))));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            args.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        try (HikariDataSource pool = pool(args);
             EntityManagerFactory factory = ApiLockPersistence.createEntityManagerFactory(pool)) {
            LockChild child = new LockChild(args, new LockTemplate(factory));
            report("READY pid=" + child.pid + " localNow=" + Instant.now());
            awaitFile(Path.of(args.get("go")), Duration.ofMinutes(5));
            switch (args.get("mode")) {
                case "contend" -> child.contend();
                case "hold" -> child.hold();
                case "await" -> child.await();
                default -> throw new IllegalArgumentException("unknown mode " + args.get("mode"));
            }
        } catch (Throwable t) {
            report("FAILURE " + t);
            t.printStackTrace();
            System.exit(2);
        }
        System.exit(0);
    }

    private static HikariDataSource pool(Map<String, String> args) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args.get("url"));
        config.setUsername(args.get("user"));
        config.setPassword(args.getOrDefault("password", ""));
        config.setMaximumPoolSize(Integer.parseInt(args.getOrDefault("threads", "1")) + 1);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(10_000);
        config.setPoolName("child-" + ProcessHandle.current().pid());
        if (args.get("url").startsWith("jdbc:postgresql:")) {
            config.addDataSourceProperty("ApplicationName", args.get("application"));
        }
        return new HikariDataSource(config);
    }

    private void contend() throws Exception {
        int threads = Integer.parseInt(args.get("threads"));
        int cycles = Integer.parseInt(args.get("cycles"));
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args.get("seconds"))).toNanos();
        AtomicInteger successes = new AtomicInteger();
        AtomicInteger refusals = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<Throwable> failures = new ArrayList<>();
        try (FileChannel events = FileChannel.open(Path.of(args.get("events")),
                     StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
             FileChannel oracle = FileChannel.open(Path.of(args.get("oracle")),
                     StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            Path counter = Path.of(args.get("counter"));
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread worker = new Thread(() -> {
                    int attempt = 0;
                    while (successes.get() < cycles && System.nanoTime() < deadline) {
                        try {
                            template.execute(type, pid + "-" + (++attempt), "child-" + pid, lock -> {
                                inside(lock, events, oracle, counter, overlaps);
                                return null;
                            });
                            successes.incrementAndGet();
                        } catch (ApiLockAcquireException refused) {
                            refusals.incrementAndGet();
                            sleepMillis(ThreadLocalRandom.current().nextInt(3));
                        } catch (Throwable t) {
                            synchronized (failures) {
                                failures.add(t);
                            }
                            t.printStackTrace();
                            return;
                        }
                    }
                }, "t" + i);
                workers.add(worker);
                worker.start();
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }
        report("DONE pid=" + pid + " successes=" + successes + " refusals=" + refusals + " overlaps=" + overlaps
                + " failures=" + failures.size());
    }

    /** The critical section, observed by three oracles that do not depend on the lock. */
    private static void inside(LockHandle lock, FileChannel events, FileChannel oracle, Path counter,
                               AtomicInteger overlaps) {
        String who = ProcessHandle.current().pid() + " " + Thread.currentThread().getName() + " "
                + lock.fencingToken() + " " + lock.lockId();
        append(events, "ENTER " + who);
        FileLock fileLock = null;
        try {
            try {
                fileLock = oracle.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                fileLock = null;
            }
            if (fileLock == null) {
                overlaps.incrementAndGet();
                append(events, "OVERLAP " + who);
            }
            String seen = Files.exists(counter) ? Files.readString(counter).trim() : "0";
            sleepMillis(1);
            Files.writeString(counter, Long.toString(Long.parseLong(seen.isEmpty() ? "0" : seen) + 1));
            if (fileLock != null) {
                fileLock.release();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        append(events, "EXIT " + who);
    }

    /** One write of a whole line on a file opened for append: the kernel never interleaves it. */
    private static void append(FileChannel events, String line) {
        try {
            events.write(StandardCharsets.UTF_8.encode(line + "\n"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void hold() {
        Path release = args.containsKey("release") ? Path.of(args.get("release")) : null;
        String result = template.execute(type, "held-by-" + pid, "child-" + pid, lock -> {
            report("HELD pid=" + pid + " id=" + lock.lockId() + " token=" + lock.fencingToken()
                    + " expiresAt=" + lock.expiresAt() + " localNow=" + Instant.now());
            if (release == null) {
                sleepMillis(Long.MAX_VALUE);
            }
            awaitFile(release, Duration.ofMinutes(2));
            return "callback result of " + lock.lockId();
        });
        report("DONE pid=" + pid + " result=" + result.replace(' ', '_'));
    }

    private void await() {
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args.get("seconds"))).toNanos();
        int refusals = 0;
        AtomicLong minTimeLeft = new AtomicLong(Long.MAX_VALUE);
        List<String> holders = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            try {
                LockHandle handle = template.execute(type, "awaited-by-" + pid, "child-" + pid, lock -> lock);
                report("ACQUIRED pid=" + pid + " id=" + handle.lockId() + " token=" + handle.fencingToken()
                        + " expiresAt=" + handle.expiresAt() + " refusals=" + refusals
                        + " minTimeLeftNanos=" + (refusals == 0 ? "none" : minTimeLeft.get())
                        + " holders=" + String.join(",", holders) + " localNow=" + Instant.now());
                return;
            } catch (ApiLockAcquireException refused) {
                refusals++;
                refused.holder().ifPresent(h -> {
                    if (!holders.contains(h.lockId())) {
                        holders.add(h.lockId());
                    }
                });
                refused.timeLeft().ifPresent(left -> minTimeLeft.accumulateAndGet(left.toNanos(), Math::min));
                sleepMillis(50);
            }
        }
        report("GAVE_UP pid=" + pid + " refusals=" + refusals);
    }

    private static void awaitFile(Path file, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + file + " within " + timeout);
            }
            sleepMillis(10);
        }
    }

    private static void report(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

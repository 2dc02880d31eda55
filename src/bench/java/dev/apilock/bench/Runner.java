package dev.apilock.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.function.IntFunction;

/**
 * Runs an operation on some threads for a while, as fast as it goes, and times every attempt.
 * All threads start together after a barrier; each stops at the deadline.
 */
final class Runner {

    private Runner() {
    }

    /**
     * @param threads    how many threads run at once
     * @param duration   how long
     * @param operations the operation of each thread, by thread index (each thread its own client)
     */
    static Sample run(int threads, Duration duration, IntFunction<Operation> operations) {
        List<Worker> workers = new ArrayList<>();
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        for (int i = 0; i < threads; i++) {
            Worker worker = new Worker(operations.apply(i), start, duration.toNanos());
            workers.add(worker);
            worker.thread.start();
        }
        long begin;
        try {
            start.await();
            begin = System.nanoTime();
            for (Worker worker : workers) {
                worker.thread.join();
            }
        } catch (Exception e) {
            throw new IllegalStateException("benchmark run interrupted", e);
        }
        long elapsed = System.nanoTime() - begin;
        LongList successes = new LongList();
        LongList refusals = new LongList();
        long successCount = 0;
        long refusalCount = 0;
        long errors = 0;
        Throwable firstError = null;
        for (Worker worker : workers) {
            successes.addAll(worker.successLatencies);
            refusals.addAll(worker.refusalLatencies);
            successCount += worker.successes;
            refusalCount += worker.refusals;
            errors += worker.errors;
            firstError = firstError == null ? worker.firstError : firstError;
        }
        return new Sample(successCount, refusalCount, errors, elapsed, successes.sorted(), refusals.sorted(),
                firstError);
    }

    private static final class Worker implements Runnable {

        final Thread thread;
        final Operation operation;
        final CyclicBarrier start;
        final long durationNanos;
        final LongList successLatencies = new LongList();
        final LongList refusalLatencies = new LongList();
        long successes;
        long refusals;
        long errors;
        Throwable firstError;

        Worker(Operation operation, CyclicBarrier start, long durationNanos) {
            this.operation = operation;
            this.start = start;
            this.durationNanos = durationNanos;
            this.thread = new Thread(this, "bench-worker");
        }

        @Override
        public void run() {
            try {
                start.await();
            } catch (Exception e) {
                firstError = e;
                return;
            }
            long deadline = System.nanoTime() + durationNanos;
            long now = System.nanoTime();
            while (now < deadline) {
                long begin = now;
                try {
                    boolean succeeded = operation.run();
                    now = System.nanoTime();
                    if (succeeded) {
                        successes++;
                        successLatencies.add(now - begin);
                    } else {
                        refusals++;
                        refusalLatencies.add(now - begin);
                    }
                } catch (Exception e) {
                    now = System.nanoTime();
                    errors++;
                    if (firstError == null) {
                        firstError = e;
                    }
                    if (errors > 1000 && successes == 0) {
                        return; // broken, not slow: stop hammering
                    }
                }
            }
        }
    }
}

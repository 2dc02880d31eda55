package com.example.configdocs;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A point in the update path that a test can hold, slow down or make fail, for one document;
 * requests for other documents pass through untouched.
 */
public final class Hook {

    /** Nothing waits longer than this, so a failed test never leaves a request hanging. */
    static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private interface Plan {
        void run();
    }

    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    private final List<Hold> holds = new CopyOnWriteArrayList<>();

    /** The next request for {@code document} stops here until {@link Hold#release()}. */
    public Hold hold(String document) {
        Hold hold = new Hold();
        holds.add(hold);
        once(document, hold::block);
        return hold;
    }

    /** The next request for {@code document} throws {@code failure} here. */
    public void fail(String document, RuntimeException failure) {
        once(document, () -> {
            throw failure;
        });
    }

    /** Every request for {@code document} pauses here, widening the window that follows. */
    public void pause(String document, Duration pause) {
        plans.put(document, () -> sleep(pause));
    }

    /** Forgets every plan and lets every held request go on. */
    public void reset() {
        plans.clear();
        holds.forEach(Hold::release);
        holds.clear();
    }

    /** Called by the hooked bean. */
    void reach(String document) {
        Plan plan = plans.get(document);
        if (plan != null) {
            plan.run();
        }
    }

    private void once(String document, Runnable action) {
        plans.put(document, new Plan() {
            @Override
            public void run() {
                // Only the request that takes the plan away runs it.
                if (plans.remove(document, this)) {
                    action.run();
                }
            }
        });
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted in a test pause", e);
        }
    }

    /** A request held at the hook. */
    public static final class Hold {
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        /**
         * Waits until {@code request} has reached the hook and is held there; fails at once if
         * the request was answered without reaching it.
         */
        public void awaitReached(Future<?> request) throws Exception {
            long deadline = System.nanoTime() + MAX_WAIT.toNanos();
            while (!reached.await(50, TimeUnit.MILLISECONDS)) {
                if (request.isDone()) {
                    throw new AssertionError("The request was answered without reaching the hook: " + answer(request));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("No request reached the hook within " + MAX_WAIT);
                }
            }
        }

        private static String answer(Future<?> request) throws InterruptedException {
            try {
                Object answer = request.get();
                return answer instanceof Response response ? response.statusCode() + " " + response.asString() : String.valueOf(answer);
            } catch (ExecutionException e) {
                return e.getCause().toString();
            }
        }

        public void release() {
            released.countDown();
        }

        private void block() {
            reached.countDown();
            try {
                if (!released.await(MAX_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException("Held request never released by its test");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while held", e);
            }
        }
    }
}

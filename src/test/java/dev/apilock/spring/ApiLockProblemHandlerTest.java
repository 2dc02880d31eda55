package dev.apilock.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.apilock.ApiLockAcquireException;
import dev.apilock.ApiLockException;
import dev.apilock.LockAdmin;
import dev.apilock.LockHandle;
import dev.apilock.LockInfo;
import dev.apilock.LockOperations;
import dev.apilock.LockType;
import dev.apilock.spring.testapp.LockedThenTransactional;
import dev.apilock.spring.testapp.TestApplication;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.WebApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refusals and failures as Spring MVC answers them with the auto-configured handler, through the
 * real DispatcherServlet (MockMvc) and a lock really held in the database.
 */
class ApiLockProblemHandlerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WebApplicationContextRunner web() {
        return Boot.webOn(Boot.emptyH2(), "sa", "")
                .withConfiguration(AutoConfigurations.of(DispatcherServletAutoConfiguration.class,
                        WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
                        JacksonAutoConfiguration.class))
                .withUserConfiguration(TestApplication.class, CounterController.class);
    }

    /** An answer, read at once so that it can be checked inside a lock callback. */
    record Answer(int status, String contentType, String retryAfter, String text) {

        JsonNode body() {
            return JSON.readTree(text);
        }
    }

    static Answer call(MockMvc mvc, RequestBuilder request) {
        try {
            MvcResult result = mvc.perform(request).andReturn();
            return new Answer(result.getResponse().getStatus(), result.getResponse().getContentType(),
                    result.getResponse().getHeader("Retry-After"), result.getResponse().getContentAsString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Holds the lock on a thread of its own, as another request would: MockMvc answers on the
     * calling thread, where apilock would refuse a re-entry without asking the database.
     */
    static final class Held implements AutoCloseable {

        private final CountDownLatch done = new CountDownLatch(1);
        private final CompletableFuture<LockHandle> lock = new CompletableFuture<>();
        private final Thread holder;

        Held(LockOperations locks, String user, String reference) throws Exception {
            holder = new Thread(() -> locks.execute(LockType.CONFIGDOCS_UPDATE, reference, user, handle -> {
                lock.complete(handle);
                try {
                    done.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }), "holder-" + user);
            holder.start();
            lock.get(30, TimeUnit.SECONDS);
        }

        LockHandle lock() {
            return lock.join();
        }

        @Override
        public void close() throws InterruptedException {
            done.countDown();
            holder.join(30_000);
        }
    }

    @RestController
    static class CounterController {

        private final LockedThenTransactional counters;

        CounterController(LockedThenTransactional counters) {
            this.counters = counters;
        }

        @PostMapping("/counters/{name}")
        long increment(@PathVariable("name") String name) {
            return counters.increment(name);
        }

        @PostMapping("/unavailable")
        long unavailable() {
            throw new ApiLockException("Connection to 127.0.0.1:5432 refused: the pool is exhausted (secret=hunter2)");
        }
    }

    @Test
    void aRefusalIs409ProblemJsonWithRetryAfterAndTheHolder() {
        web().run(context -> {
            assertThat(context).hasNotFailed();
            MockMvc mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) context).build();
            try (Held held = new Held(context.getBean(LockOperations.class), "alice", "req-alice")) {
                LockHandle lock = held.lock();
                Answer answer = call(mvc, post("/counters/a").header("X-Request-Id", "req-bob"));

                assertThat(answer.status()).isEqualTo(409);
                assertThat(answer.contentType()).isEqualTo("application/problem+json");
                assertThat(Long.parseLong(answer.retryAfter())).isBetween(1L, 60L);
                JsonNode body = answer.body();
                assertThat(body.get("type").asString()).isEqualTo("urn:apilock:problem:blocked-by-another-process");
                assertThat(body.get("title").asString()).isEqualTo("Blocked by another process");
                assertThat(body.get("status").asInt()).isEqualTo(409);
                assertThat(body.get("detail").asString())
                        .isEqualTo(ApiLockAcquireException.description(LockType.CONFIGDOCS_UPDATE));
                assertThat(body.get("lockType").asString()).isEqualTo("configdocs_update");
                assertThat(body.get("heldBy").asString()).isEqualTo("alice");
                assertThat(body.get("reference").asString()).isEqualTo("req-alice");
                assertThat(Instant.parse(body.get("expiresAt").asString())).isEqualTo(lock.expiresAt());
                assertThat(body.get("retry").asBoolean(true)).isFalse();
                assertThat(body.has("lockId")).as("lock id not exposed by default").isFalse();
                assertThat(body.has("fencingToken")).isFalse();
            }
            LockInfo refusedAttempt = context.getBean(LockAdmin.class).history(5).stream()
                    .filter(row -> row.referenceId().equals("req-bob")).findAny().orElse(null);
            assertThat(refusedAttempt).as("a refused request writes no lock row").isNull();
        });
    }

    @Test
    void theLockIdAndFencingTokenAreShownWhenConfigured() {
        web().withPropertyValues("apilock.problem.expose-lock-id=true").run(context -> {
            MockMvc mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) context).build();
            try (Held held = new Held(context.getBean(LockOperations.class), "alice", "req-alice")) {
                JsonNode body = call(mvc, post("/counters/a")).body();
                assertThat(body.get("lockId").asString()).isEqualTo(held.lock().lockId());
                assertThat(body.get("fencingToken").asLong()).isEqualTo(held.lock().fencingToken());
            }
        });
    }

    @Test
    void aBadRequestIdIs400NamingIt() {
        web().run(context -> {
            MockMvc mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) context).build();
            Answer answer = call(mvc, post("/counters/a").header("X-Request-Id", "r".repeat(300)));

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.contentType()).isEqualTo("application/problem+json");
            assertThat(answer.body().get("detail").asString())
                    .startsWith("Reference id must be at most 255 characters");
        });
    }

    @Test
    void aLockServiceFailureIs503WithoutDatabaseDetails() {
        web().run(context -> {
            MockMvc mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) context).build();
            Answer answer = call(mvc, post("/unavailable"));

            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.contentType()).isEqualTo("application/problem+json");
            assertThat(answer.text()).doesNotContain("5432", "hunter2", "pool");
        });
    }

    @Test
    void anExceptionHandlerOfTheApplicationsOwnAnswersInstead() {
        web().withUserConfiguration(OwnHandler.class).run(context -> {
            MockMvc mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) context).build();
            try (Held held = new Held(context.getBean(LockOperations.class), "alice", "req-alice")) {
                Answer answer = call(mvc, post("/counters/a"));
                assertThat(answer.status()).isEqualTo(423);
                assertThat(answer.text()).isEqualTo("locked by alice");
            }
        });
    }

    @RestControllerAdvice
    static class OwnHandler {
        @ExceptionHandler
        ResponseEntity<String> blocked(ApiLockAcquireException e) {
            return ResponseEntity.status(HttpStatus.LOCKED).body("locked by " + e.holder().orElseThrow().user());
        }
    }
}

package com.example.configdocs;

import static com.example.configdocs.ConfigDocsClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.configdocs.ConfigDocsClient.Response;
import dev.apilock.LockHandle;
import dev.apilock.LockOperations;
import dev.apilock.LockType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * apilock on a pool of its own ({@code apilock.datasource.*}), beside an application pool of 3
 * connections; operators may force-release here.
 */
@TestPropertySource(properties = {
        "apilock.datasource.url=${spring.datasource.url}",
        "apilock.datasource.username=${spring.datasource.username}",
        "apilock.datasource.password=${spring.datasource.password}",
        "apilock.datasource.maximum-pool-size=2",
        "apilock.actuator.force-release-enabled=true",
        "spring.datasource.hikari.maximum-pool-size=3",
        "spring.datasource.hikari.connection-timeout=30000"})
abstract class DedicatedLockPoolContract extends ApplicationTest {

    private static final int APPLICATION_POOL = 3;

    @Autowired
    LockOperations locks;

    @Autowired
    PlatformTransactionManager transactionManager;

    /**
     * Each caller holds one of the application pool's connections in its transaction, all of them
     * at once, then asks for the lock: on the application's pool no connection would be left for it.
     */
    @Test
    void callersHoldingEveryApplicationConnectionStillGetTheLockThatCoversTheirTransactions() throws Exception {
        CyclicBarrier allHoldAConnection = new CyclicBarrier(APPLICATION_POOL);
        ExecutorService callers = Executors.newFixedThreadPool(APPLICATION_POOL);
        try {
            List<Future<Boolean>> covered = new ArrayList<>();
            for (int i = 0; i < APPLICATION_POOL; i++) {
                String reference = "req-full-pool-" + i;
                covered.add(callers.submit(() -> new TransactionTemplate(transactionManager).execute(status -> {
                    jdbc.sql("SELECT COUNT(*) FROM config_documents").query(Long.class).single();
                    awaitAll(allHoldAConnection);
                    return locks.execute(LockType.CONFIGDOCS_UPDATE, reference, "alice", Duration.ofSeconds(30),
                            LockHandle::coversCallerTransaction);
                })));
            }
            for (Future<Boolean> each : covered) {
                assertThat(each.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void moreRequestsThanPooledConnectionsAllGetTheLockInTurn() throws Exception {
        String doc = "busy";
        int requests = 10;
        hooks.inCallback.delayEach(Duration.ofMillis(50));
        List<CompletableFuture<Response>> pending = IntStream.rangeClosed(1, requests)
                .mapToObj(i -> client.updateAsync(doc, "update " + i, editor(i), "req-busy-" + i, true))
                .toList();
        List<Response> responses = new ArrayList<>();
        for (CompletableFuture<Response> response : pending) {
            responses.add(await(response));
        }

        assertThat(responses).allSatisfy(response -> assertThat(response.status())
                .as("%s", response.body()).isEqualTo(200));
        assertThat(documentRow(doc)).containsEntry("revision", (long) requests);
        assertThat(unreleasedLocks()).isEmpty();
    }

    /**
     * A force release lets the next caller in at once; it does not stop the holder, whose own
     * release then finds the row released by the operator (fencing tokens guard what it writes).
     */
    @Test
    void anOperatorForceReleasesAStuckLockThroughTheActuator() throws Exception {
        Checkpoint.Hold held = hooks.inCallback.holdNext();
        CompletableFuture<Response> stuck = client.updateAsync("stuck", "x", "alice", "req-stuck", false);
        try {
            held.awaitReached(stuck);
            Response released = client.actuatorDelete("apilock/types/configdocs_update");
            assertThat(released.status()).isEqualTo(200);
            assertThat(released.body().get("released").get("referenceId").asString()).isEqualTo("req-stuck");
            assertThat(client.actuator("apilock").body().get("held")).isEmpty();
            assertThat(client.actuatorDelete("apilock/types/configdocs_update").status())
                    .as("nothing left to release").isEqualTo(404);
        } finally {
            held.release();
        }
        assertThat(await(stuck).status()).isEqualTo(200);
        assertThat(lockRows("req-stuck")).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("released", true).containsEntry("release_reason", "FORCED"));
    }

    private static void awaitAll(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("callers did not all hold a connection", e);
        }
    }
}

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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * With {@code app.lock-pool.enabled}, more transactional requests than the application's pool
 * has connections: each holds one of the 3 from its transaction's start, and takes the lock
 * through apilock's own 2.
 */
@TestPropertySource(properties = {
        "app.lock-pool.enabled=true",
        "app.lock-pool.size=2",
        "spring.datasource.hikari.maximum-pool-size=3",
        "spring.datasource.hikari.connection-timeout=30000"})
abstract class DedicatedLockPoolContract extends ApplicationTest {

    /** Injected to prove the pool exists: the lock template runs on it. */
    @Autowired
    LockPool lockPool;

    @Autowired
    LockOperations locks;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void locksOnTheLockPoolStillCoverTheTransactionOfTheApplicationsPool() {
        Boolean covered = new TransactionTemplate(transactionManager).execute(status -> locks.execute(
                LockType.CONFIGDOCS_UPDATE, "req-covers", "alice", LockHandle::coversCallerTransaction));

        assertThat(covered).isTrue();
    }

    @Test
    void moreTransactionalRequestsThanPooledConnectionsAllGetTheirAnswerFromTheLock() throws Exception {
        String doc = "busy";
        int requests = 10;
        hooks.inCallback.delayEach(Duration.ofMillis(50));
        long start = System.nanoTime();
        List<CompletableFuture<Response>> pending = IntStream.rangeClosed(1, requests)
                .mapToObj(i -> client.updateAsync(doc, "update " + i, "user" + i, "req-busy-" + i, Duration.ofSeconds(30)))
                .toList();
        List<Response> responses = new ArrayList<>();
        for (CompletableFuture<Response> response : pending) {
            responses.add(await(response));
        }
        System.out.printf("%s: %d requests on a pool of 3 with a lock pool of 2 answered in %d ms: %s%n",
                getClass().getSimpleName(), requests, (System.nanoTime() - start) / 1_000_000,
                responses.stream().map(Response::status).toList());

        assertThat(responses).allSatisfy(response -> assertThat(response.status())
                .as("%s", response.body()).isIn(200, 409));
        long accepted = responses.stream().filter(r -> r.status() == 200).count();
        assertThat(accepted).isPositive();
        assertThat(documentRow(doc)).containsEntry("revision", accepted);
        assertThat(unreleasedLocks()).isEmpty();
    }
}

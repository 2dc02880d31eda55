package com.example.configdocs;

import static com.example.configdocs.ConfigDocsClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.configdocs.ConfigDocsClient.Response;
import dev.apilock.ApiLockAcquireException;
import dev.apilock.LockHandle;
import dev.apilock.LockOperations;
import dev.apilock.LockType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** What the service promises, over HTTP, on the database of the subclass. */
abstract class ConfigDocsContract extends ApplicationTest {

    @Autowired
    LockOperations locks;

    @Autowired
    PlatformTransactionManager transactionManager;

    private static final int CONCURRENT = 8;

    @Test
    void updatesWhileAnotherHoldsTheLockAreRefusedWith409NamingTheHolder() throws Exception {
        String doc = "refused";
        Checkpoint.Hold held = hooks.inCallback.holdNext();
        CompletableFuture<Response> first = client.updateAsync(doc, "by alice", "alice", "req-alice", null);
        List<Response> refused = new ArrayList<>();
        try {
            held.awaitReached(first);
            List<CompletableFuture<Response>> others = IntStream.range(1, CONCURRENT)
                    .mapToObj(i -> client.updateAsync(doc, "by bob " + i, "bob" + i, "req-bob-" + i, null))
                    .toList();
            for (CompletableFuture<Response> other : others) {
                refused.add(await(other));
            }
        } finally {
            held.release();
        }
        Response accepted = await(first);

        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.number("revision")).isEqualTo(1);
        List<Map<String, Object>> aliceLock = lockRows("req-alice");
        assertThat(aliceLock).hasSize(1);
        assertThat(refused).hasSize(CONCURRENT - 1).allSatisfy(response -> {
            assertThat(response.status()).isEqualTo(409);
            assertThat(response.contentType()).isEqualTo("application/problem+json");
            assertThat(response.text("type")).isEqualTo(LockProblems.BLOCKED.toString());
            assertThat(response.text("title")).isEqualTo("Blocked by another process");
            assertThat(response.number("status")).isEqualTo(409);
            assertThat(response.text("detail")).isEqualTo(ApiLockAcquireException.description(LockType.CONFIGDOCS_UPDATE));
            assertThat(response.text("user")).isEqualTo("alice");
            assertThat(response.text("reference")).isEqualTo("req-alice");
            assertThat(response.text("lockId")).isEqualTo(aliceLock.get(0).get("id"));
            assertThat(Instant.parse(response.text("expiresAt"))).isAfter(Instant.now().minusSeconds(60));
            assertThat(response.body().get("retry").asBoolean(true)).isFalse();
        });
        assertThat(documentRow(doc)).containsEntry("content", "by alice").containsEntry("revision", 1L);
        for (int i = 1; i < CONCURRENT; i++) {
            assertThat(lockRows("req-bob-" + i)).as("a refused request writes no lock row").isEmpty();
        }
        assertThat(aliceLock.get(0)).containsEntry("released", true);
    }

    @Test
    void theLockIsHeldUntilTheTransactionCommits() throws Exception {
        String doc = "until-commit";
        assertThat(client.update(doc, "revision 1", "alice", "req-commit-1", null).status()).isEqualTo(200);
        try (ConfigurableApplicationContext second = startSecondInstance()) {
            ConfigDocsClient secondClient = clientOf(second);
            Checkpoint.Hold held = hooks.beforeCommit.holdNext();
            CompletableFuture<Response> writing = client.updateAsync(doc, "revision 2", "alice", "req-commit-2", null);
            Response refused;
            try {
                held.awaitReached(writing);
                // The lock callback has returned; the transaction that wrote revision 2 has not committed.
                assertThat(unreleasedLocks()).as("locks held while the writer's transaction is still open")
                        .containsExactly("req-commit-2");
                refused = await(secondClient.updateAsync(doc, "revision 3", "bob", "req-commit-3", null),
                        Duration.ofSeconds(20));
            } finally {
                held.release();
            }
            assertThat(refused.status()).as("second instance during the first one's commit").isEqualTo(409);
            assertThat(refused.text("user")).isEqualTo("alice");
            assertThat(refused.text("reference")).isEqualTo("req-commit-2");

            Response committed = await(writing);
            assertThat(committed.status()).isEqualTo(200);
            assertThat(committed.number("revision")).isEqualTo(2);
            assertThat(lockRows("req-commit-2")).singleElement().satisfies(row -> assertThat(row)
                    .containsEntry("released", true).containsEntry("release_reason", "RELEASED"));

            Response after = secondClient.update(doc, "revision 3", "bob", "req-commit-4", null);
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.number("revision")).as("the second instance sees the committed revision").isEqualTo(3);
        }
        assertThat(documentRow(doc)).containsEntry("content", "revision 3").containsEntry("revision", 3L);
    }

    @Test
    void concurrentUpdatesThroughTwoInstancesLoseNoUpdate() throws Exception {
        String doc = "two-instances";
        int updates = 12;
        assertThat(client.update(doc, "revision 1", "alice", "req-two-0", null).status()).isEqualTo(200);
        List<Response> responses = new ArrayList<>();
        try (ConfigurableApplicationContext second = startSecondInstance()) {
            ConfigDocsClient secondClient = clientOf(second);
            // Widen the window between the callback's end and the commit on both instances.
            hooks.beforeCommit.delayEach(Duration.ofMillis(30));
            hooksOf(second).beforeCommit.delayEach(Duration.ofMillis(30));
            List<CompletableFuture<Response>> pending = IntStream.rangeClosed(1, updates)
                    .mapToObj(i -> (i % 2 == 0 ? client : secondClient)
                            .updateAsync(doc, "update " + i, "user" + i, "req-two-" + i, Duration.ofSeconds(30)))
                    .toList();
            for (CompletableFuture<Response> response : pending) {
                responses.add(await(response));
            }
        }

        assertThat(responses).extracting(Response::status).allSatisfy(status -> assertThat(status).isIn(200, 409));
        List<Long> revisions = responses.stream().filter(r -> r.status() == 200).map(r -> r.number("revision")).toList();
        assertThat(revisions).as("updates accepted").hasSizeGreaterThan(1);
        assertThat(revisions).as("each accepted update wrote a revision of its own")
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(2, 1 + revisions.size()).boxed().toList());
        assertThat(documentRow(doc)).containsEntry("revision", 1L + revisions.size());
        long highestToken = responses.stream().filter(r -> r.status() == 200)
                .mapToLong(r -> r.number("fencingToken")).max().orElseThrow();
        assertThat(documentRow(doc)).as("the last revision carries the newest fencing token")
                .containsEntry("fencing_token", highestToken);
    }

    @Test
    void aFailureInsideTheCallbackRollsBackTheWritesAndReleasesTheLock() throws Exception {
        String doc = "rolled-back";
        assertThat(client.update(doc, "revision 1", "alice", "req-rollback-1", null).status()).isEqualTo(200);
        hooks.failNextUpdateAfterWriting();

        Response failed = client.update(doc, "revision 2", "carol", "req-rollback-2", null);

        assertThat(failed.status()).isEqualTo(500);
        assertThat(documentRow(doc)).as("the document after the failed update")
                .containsEntry("content", "revision 1")
                .containsEntry("revision", 1L)
                .containsEntry("updated_by", "alice");
        assertThat(lockRows("req-rollback-2")).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("released", true).containsEntry("release_reason", "RELEASED"));
        assertThat(unreleasedLocks()).isEmpty();
        Response next = client.update(doc, "revision 2", "dave", "req-rollback-3", null);
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.number("revision")).isEqualTo(2);
    }

    @Test
    void invalidContentIsRefusedWith400AndNothingIsWritten() throws Exception {
        Response blank = client.update("invalid", " ", "alice", "req-invalid-1", null);

        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.contentType()).isEqualTo("application/problem+json");
        assertThat(blank.text("detail")).isEqualTo("Content of invalid must not be blank");
        assertThat(documentRow("invalid")).isEmpty();
        assertThat(lockRows("req-invalid-1")).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("released", true));
        assertThat(client.get("invalid").status()).isEqualTo(404);
    }

    @Test
    void aWaitBeyondTheLibrarysLimitIsRefusedWith400BeforeAnyLockIsTaken() throws Exception {
        Response tooLong = client.update("long-wait", "x", "alice", "req-long-wait", Duration.ofDays(2));

        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.contentType()).isEqualTo("application/problem+json");
        assertThat(tooLong.text("detail")).contains("Maximum wait");
        assertThat(lockRows("req-long-wait")).isEmpty();
    }

    @Test
    void aLockTakenInsideASpringTransactionCoversItsCommit() {
        Boolean inside = new TransactionTemplate(transactionManager).execute(status -> locks.execute(
                LockType.CONFIGDOCS_UPDATE, "req-covers-1", "alice", LockHandle::coversCallerTransaction));
        Boolean outside = locks.execute(LockType.CONFIGDOCS_UPDATE, "req-covers-2", "alice",
                LockHandle::coversCallerTransaction);

        assertThat(inside).isTrue();
        assertThat(outside).isFalse();
    }

    @Test
    void getAnswersTheCommittedDocument() throws Exception {
        Response written = client.update("read-back", "hello", "alice", "req-read-1", null);

        Response read = client.get("read-back");

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text("content")).isEqualTo("hello");
        assertThat(read.text("updatedBy")).isEqualTo("alice");
        assertThat(read.number("revision")).isEqualTo(1);
        assertThat(read.number("fencingToken")).isEqualTo(written.number("fencingToken"));
    }
}

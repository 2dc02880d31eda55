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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the service promises, over HTTP, on the database of the subclass. {@code wait=false} runs
 * {@code update} ({@code @ApiLocked} above {@code @Transactional}), {@code wait=true}
 * {@code updateWaiting} (the other way round).
 */
abstract class ConfigDocsContract extends ApplicationTest {

    @Autowired
    LockOperations locks;

    @Autowired
    PlatformTransactionManager transactionManager;

    private static final int CONCURRENT = 8;

    @Test
    void updatesWhileAnotherHoldsTheLockAreRefusedWith409ProblemsNamingTheHolder() throws Exception {
        String doc = "refused";
        Checkpoint.Hold held = hooks.inCallback.holdNext();
        CompletableFuture<Response> first = client.updateAsync(doc, "by alice", "alice", "req-alice", false);
        List<Response> refused = new ArrayList<>();
        Instant heldSince = Instant.now();
        try {
            held.awaitReached(first);
            List<CompletableFuture<Response>> others = IntStream.range(1, CONCURRENT)
                    .mapToObj(i -> client.updateAsync(doc, "by " + editor(i), editor(i), "req-other-" + i, false))
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
            assertThat(Long.parseLong(response.retryAfter())).as("Retry-After, seconds").isBetween(1L, 60L);
            assertThat(response.text("type")).isEqualTo("urn:apilock:problem:blocked-by-another-process");
            assertThat(response.text("title")).isEqualTo("Blocked by another process");
            assertThat(response.number("status")).isEqualTo(409);
            assertThat(response.text("detail")).isEqualTo(ApiLockAcquireException.description(LockType.CONFIGDOCS_UPDATE));
            assertThat(response.text("lockType")).isEqualTo("configdocs_update");
            assertThat(response.text("heldBy")).as("the signed-in holder").isEqualTo("alice");
            assertThat(response.text("reference")).isEqualTo("req-alice");
            assertThat(Instant.parse(response.text("expiresAt"))).isBetween(heldSince, heldSince.plusSeconds(70));
            assertThat(response.body().get("retry").asBoolean(true)).isFalse();
            assertThat(response.body().has("lockId")).as("not exposed by default").isFalse();
        });
        assertThat(documentRow(doc)).containsEntry("content", "by alice").containsEntry("revision", 1L);
        for (int i = 1; i < CONCURRENT; i++) {
            assertThat(lockRows("req-other-" + i)).as("a refused request writes no lock row").isEmpty();
        }
        assertThat(aliceLock.get(0)).containsEntry("released", true).containsEntry("locked_by", "alice");
    }

    @ParameterizedTest(name = "wait={0}")
    @ValueSource(booleans = {false, true})
    void theLockIsHeldUntilTheTransactionCommits(boolean wait) throws Exception {
        String doc = "until-commit-" + wait;
        assertThat(client.update(doc, "revision 1", "alice", "req-commit-1-" + wait, wait).status()).isEqualTo(200);
        try (ConfigurableApplicationContext second = startSecondInstance()) {
            ConfigDocsClient secondClient = clientOf(second);
            Checkpoint.Hold held = hooks.beforeCommit.holdNext();
            CompletableFuture<Response> writing = client.updateAsync(doc, "revision 2", "alice", "req-commit-2-" + wait, wait);
            Response refused;
            try {
                held.awaitReached(writing);
                // The method has written revision 2; its transaction has not committed.
                assertThat(unreleasedLocks()).as("locks held while the writer's transaction is still open")
                        .containsExactly("req-commit-2-" + wait);
                refused = await(secondClient.updateAsync(doc, "revision 3", "bob", "req-commit-3-" + wait, false),
                        Duration.ofSeconds(20));
            } finally {
                held.release();
            }
            assertThat(refused.status()).as("second instance during the first one's commit").isEqualTo(409);
            assertThat(refused.text("heldBy")).isEqualTo("alice");
            assertThat(refused.text("reference")).isEqualTo("req-commit-2-" + wait);

            Response committed = await(writing);
            assertThat(committed.status()).isEqualTo(200);
            assertThat(committed.number("revision")).isEqualTo(2);
            assertThat(lockRows("req-commit-2-" + wait)).singleElement().satisfies(row -> assertThat(row)
                    .containsEntry("released", true).containsEntry("release_reason", "RELEASED"));

            Response after = secondClient.update(doc, "revision 3", "bob", "req-commit-4-" + wait, false);
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.number("revision")).as("the second instance sees the committed revision").isEqualTo(3);
        }
        assertThat(documentRow(doc)).containsEntry("content", "revision 3").containsEntry("revision", 3L);
    }

    @Test
    void concurrentUpdatesThroughTwoInstancesLoseNoUpdate() throws Exception {
        String doc = "two-instances";
        int updates = 12;
        assertThat(client.update(doc, "revision 1", "alice", "req-two-0", false).status()).isEqualTo(200);
        List<Response> responses = new ArrayList<>();
        try (ConfigurableApplicationContext second = startSecondInstance()) {
            ConfigDocsClient secondClient = clientOf(second);
            // Widen the window between the method's end and the commit on both instances.
            hooks.beforeCommit.delayEach(Duration.ofMillis(30));
            hooksOf(second).beforeCommit.delayEach(Duration.ofMillis(30));
            List<CompletableFuture<Response>> pending = IntStream.rangeClosed(1, updates)
                    .mapToObj(i -> (i % 2 == 0 ? client : secondClient)
                            .updateAsync(doc, "update " + i, editor(i), "req-two-" + i, true))
                    .toList();
            for (CompletableFuture<Response> response : pending) {
                responses.add(await(response));
            }
        }

        assertThat(responses).extracting(Response::status).as("every waiting update gets the lock")
                .containsOnly(200);
        List<Long> revisions = responses.stream().map(r -> r.number("revision")).toList();
        assertThat(revisions).as("each accepted update wrote a revision of its own")
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(2, 1 + updates).boxed().toList());
        assertThat(documentRow(doc)).containsEntry("revision", 1L + updates);
        long highestToken = responses.stream().mapToLong(r -> r.number("fencingToken")).max().orElseThrow();
        assertThat(documentRow(doc)).as("the last revision carries the newest fencing token")
                .containsEntry("fencing_token", highestToken);
    }

    @Test
    void aFailureInsideTheMethodRollsBackTheWritesAndReleasesTheLock() throws Exception {
        String doc = "rolled-back";
        assertThat(client.update(doc, "revision 1", "alice", "req-rollback-1", false).status()).isEqualTo(200);
        hooks.failNextUpdateAfterWriting();

        Response failed = client.update(doc, "revision 2", "carol", "req-rollback-2", false);

        assertThat(failed.status()).isEqualTo(500);
        assertThat(documentRow(doc)).as("the document after the failed update")
                .containsEntry("content", "revision 1")
                .containsEntry("revision", 1L)
                .containsEntry("updated_by", "alice");
        assertThat(lockRows("req-rollback-2")).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("released", true).containsEntry("release_reason", "RELEASED"));
        assertThat(unreleasedLocks()).isEmpty();
        Response next = client.update(doc, "revision 2", "dave", "req-rollback-3", false);
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.number("revision")).isEqualTo(2);
    }

    @Test
    void invalidContentIsRefusedWith400AndNothingIsWritten() throws Exception {
        Response blank = client.update("invalid", " ", "alice", "req-invalid-1", false);

        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.contentType()).isEqualTo("application/problem+json");
        assertThat(blank.text("detail")).isEqualTo("Content of invalid must not be blank");
        assertThat(documentRow("invalid")).isEmpty();
        assertThat(lockRows("req-invalid-1")).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("released", true));
        assertThat(client.get("invalid").status()).isEqualTo(404);
    }

    @Test
    void aRequestIdTheLockCannotRecordIsRefusedWith400BeforeAnyLockIsTaken() throws Exception {
        String tooLong = "r".repeat(300);
        Response refused = client.update("long-id", "x", "alice", tooLong, false);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(refused.text("detail")).startsWith("Reference id must be at most 255 characters");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM api_locks WHERE reference_id LIKE 'rrr%'")
                .query(Long.class).single()).isZero();
    }

    @Test
    void withoutARequestIdTheLockIsRecordedUnderANewUlid() throws Exception {
        Response written = client.update("no-request-id", "x", "erin", null, false);

        assertThat(written.status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT reference_id FROM api_locks WHERE fencing_token = ?")
                .param(written.number("fencingToken")).query(String.class).single())
                .matches("[0-9A-HJKMNP-TV-Z]{26}");
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
        Response written = client.update("read-back", "hello", "alice", "req-read-1", false);

        Response read = client.get("read-back");

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text("content")).isEqualTo("hello");
        assertThat(read.text("updatedBy")).isEqualTo("alice");
        assertThat(read.number("revision")).isEqualTo(1);
        assertThat(read.number("fencingToken")).isEqualTo(written.number("fencingToken"));
    }

    @Test
    void theLockMetersExistFromTheStartAndCountAcquisitionsAndRefusals() throws Exception {
        String meter = "metrics/apilock.acquire?tag=type:configdocs_update&tag=outcome:";
        Response acquiredBefore = client.actuator(meter + "acquired");
        Response blockedBefore = client.actuator(meter + "blocked");
        assertThat(acquiredBefore.status()).as("registered at startup").isEqualTo(200);
        assertThat(blockedBefore.status()).isEqualTo(200);
        assertThat(client.actuator("metrics/apilock.hold.duration?tag=type:configdocs_update").status()).isEqualTo(200);

        Checkpoint.Hold held = hooks.inCallback.holdNext();
        CompletableFuture<Response> first = client.updateAsync("metered", "one", "alice", "req-metered-1", false);
        try {
            held.awaitReached(first);
            assertThat(client.update("metered", "two", "bob", "req-metered-2", false).status()).isEqualTo(409);
        } finally {
            held.release();
        }
        assertThat(await(first).status()).isEqualTo(200);

        assertThat(count(client.actuator(meter + "acquired")) - count(acquiredBefore)).isEqualTo(1);
        assertThat(count(client.actuator(meter + "blocked")) - count(blockedBefore)).isEqualTo(1);
    }

    @Test
    void theActuatorEndpointShowsTheHeldLockAndRefusesForceReleaseUnlessEnabled() throws Exception {
        Checkpoint.Hold held = hooks.inCallback.holdNext();
        CompletableFuture<Response> writing = client.updateAsync("watched", "x", "carol", "req-watched", false);
        try {
            held.awaitReached(writing);
            Response locks = client.actuator("apilock");
            assertThat(locks.status()).isEqualTo(200);
            assertThat(locks.body().get("held")).singleElement().satisfies(lock -> {
                assertThat(lock.get("lockType").asString()).isEqualTo("configdocs_update");
                assertThat(lock.get("user").asString()).isEqualTo("carol");
                assertThat(lock.get("referenceId").asString()).isEqualTo("req-watched");
            });
            Response refused = client.actuatorDelete("apilock/types/configdocs_update");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.text("error")).contains("apilock.actuator.force-release-enabled=true");
            assertThat(unreleasedLocks()).containsExactly("req-watched");
        } finally {
            held.release();
        }
        assertThat(await(writing).status()).isEqualTo(200);
        assertThat(client.actuator("apilock").body().get("history").get(0).get("referenceId").asString())
                .isEqualTo("req-watched");
    }

    private static double count(Response metric) {
        return metric.body().get("measurements").get(0).get("value").asDouble();
    }
}

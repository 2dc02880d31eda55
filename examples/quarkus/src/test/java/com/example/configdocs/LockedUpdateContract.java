package com.example.configdocs;

import static com.example.configdocs.Api.assertBlockedBy;
import static com.example.configdocs.Api.assertOk;
import static com.example.configdocs.Api.newDocument;
import static com.example.configdocs.Api.newRequestId;
import static com.example.configdocs.Api.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.configdocs.Database.ChangeRow;
import com.example.configdocs.Database.LockRow;
import dev.apilock.ApiLockAcquireException;
import dev.apilock.LockHandle;
import dev.apilock.LockInfo;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import io.quarkus.hibernate.orm.PersistenceUnit;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code @ApiLocked} with {@code @Transactional}, over HTTP, in both orders of writing them
 * ({@code update}: {@code @ApiLocked} first, fail fast; {@code updateWhenFree}: {@code @Transactional}
 * first, waiting): the lock is taken before the transaction begins, excludes concurrent writers,
 * lasts until the transaction has committed or rolled back, and no update is lost.
 */
abstract class LockedUpdateContract {

    private static final int CLIENTS = 8;
    private static final long TIMEOUT_SECONDS = 60;

    @Inject
    TestHooks hooks;

    /** apilock's persistence unit, for a LockTemplate of the test's own: another instance. */
    @Inject
    @PersistenceUnit("apilock")
    EntityManagerFactory entityManagerFactory;

    private ExecutorService clients;

    @BeforeEach
    void startClients() {
        clients = Executors.newFixedThreadPool(CLIENTS);
    }

    @AfterEach
    void stopClients() {
        hooks.reset();
        clients.shutdownNow();
    }

    @Test
    void whileOneUpdateHoldsTheLockEveryConcurrentUpdateIsRefusedWith409NamingIt() throws Exception {
        String document = newDocument("contended");
        String holderRequest = newRequestId("holder");
        Hook.Hold inMethod = hooks.validation().hold(document);
        Future<Response> holder = clients.submit(() -> post(document, "winner", "alice", holderRequest));
        inMethod.awaitReached(holder);
        LockRow holderLock = Database.lockFor(holderRequest);

        List<String> refusedRequests = IntStream.range(1, CLIENTS).mapToObj(i -> newRequestId("refused" + i)).toList();
        List<Response> refused = all(refusedRequests.stream()
                .map(request -> (Callable<Response>) () -> post(document, "loser", "bob", request))
                .toList());
        inMethod.release();

        JsonPath written = assertOk(holder.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertThat(written.getLong("revision")).isEqualTo(1);
        assertThat(written.getLong("fencingToken")).isEqualTo(holderLock.fencingToken());
        assertThat(refused).hasSize(CLIENTS - 1).allSatisfy(response ->
                assertBlockedBy(response, "alice", holderRequest, holderLock.expiresAt()));
        // A refused request writes nothing, not even a lock row.
        assertThat(refusedRequests).allSatisfy(request -> assertThat(Database.locksFor(request)).isEmpty());
        assertThat(Database.document(document)).hasValueSatisfying(row -> {
            assertThat(row.content()).isEqualTo("winner");
            assertThat(row.revision()).isEqualTo(1);
        });
    }

    @ParameterizedTest(name = "wait={0}")
    @ValueSource(booleans = {false, true})
    void theLockIsTakenBeforeTheTransactionBeginsAndHeldUntilItHasCommitted(boolean wait) throws Exception {
        String document = newDocument("commit");
        assertOk(post(document, "v1", "alice", newRequestId("seed"), wait));
        String writerRequest = newRequestId("writer");
        Hook.Hold beforeCommit = hooks.audit().hold(document);
        Future<Response> writer = clients.submit(() -> post(document, "v2", "alice", writerRequest, wait));
        beforeCommit.awaitReached(writer);

        // Inside the method: its transaction is running, under a lock taken before it began.
        assertThat(hooks.seenInside(document)).isEqualTo("transaction active, lock covers it false");
        // Written, not yet committed: the lock is still held.
        LockRow writerLock = Database.lockFor(writerRequest);
        assertThat(writerLock.released()).as("lock released before the commit").isFalse();
        assertThat(Database.document(document)).hasValueSatisfying(row ->
                assertThat(row.revision()).as("revision visible before the commit").isEqualTo(1));
        assertBlockedBy(post(document, "v-during", "bob", newRequestId("during")),
                "alice", writerRequest, writerLock.expiresAt());
        LockTemplate otherInstance = new LockTemplate(entityManagerFactory);
        assertThatThrownBy(() -> otherInstance.execute(LockType.CONFIGDOCS_UPDATE, newRequestId("probe"), "probe",
                lock -> null))
                .isInstanceOfSatisfying(ApiLockAcquireException.class, e ->
                        assertThat(e.holder()).map(LockInfo::lockId).contains(writerLock.id()));

        beforeCommit.release();
        assertThat(assertOk(writer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).getLong("revision")).isEqualTo(2);

        // Committed, then released: by the time the answer is out, the next writer gets in.
        assertThat(Database.lockFor(writerRequest).releaseReason()).isEqualTo("RELEASED");
        assertThat(Database.document(document)).hasValueSatisfying(row -> assertThat(row.revision()).isEqualTo(2));
        JsonPath next = assertOk(post(document, "v3", "carol", newRequestId("next")));
        assertThat(next.getLong("revision")).isEqualTo(3);
    }

    @Test
    void aLockTakenInsideATransactionCoversItAndOneTakenOutsideDoesNot() {
        LockTemplate otherInstance = new LockTemplate(entityManagerFactory);

        boolean inside = QuarkusTransaction.requiringNew().call(() -> otherInstance.execute(
                LockType.CONFIGDOCS_UPDATE, newRequestId("inside"), "probe", LockHandle::coversCallerTransaction));
        boolean outside = otherInstance.execute(
                LockType.CONFIGDOCS_UPDATE, newRequestId("outside"), "probe", LockHandle::coversCallerTransaction);

        assertThat(inside).isTrue();
        assertThat(outside).isFalse();
    }

    @Test
    void concurrentWaitingUpdatesLoseNoUpdate() throws Exception {
        String document = newDocument("counter");
        assertOk(post(document, "update 0", "alice", newRequestId("seed")));
        // A pause between the write and the commit: a lock released before the commit would let
        // the next writer read the revision this one is about to replace.
        hooks.audit().pause(document, Duration.ofMillis(20));
        int updates = 3 * CLIENTS;
        List<String> users = List.of("alice", "bob", "carol", "dave");

        List<Response> responses = all(IntStream.rangeClosed(1, updates)
                .mapToObj(i -> (Callable<Response>) () ->
                        post(document, "update " + i, users.get(i % users.size()), newRequestId("counter" + i), true))
                .toList());

        assertThat(responses).extracting(Response::statusCode).containsOnly(200);
        assertThat(Database.document(document)).hasValueSatisfying(row -> assertThat(row.revision())
                .as("revision after %d waiting updates of revision 1 (lower: updates lost)", updates)
                .isEqualTo(1 + updates));
        List<ChangeRow> changes = Database.changesOf(document);
        assertThat(changes).extracting(ChangeRow::revision)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 1 + updates).boxed().toList());
        assertThat(changes).extracting(ChangeRow::fencingToken).isSorted().doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "wait={0}")
    @ValueSource(booleans = {false, true})
    void aFailureInsideTheMethodWritesNothingAndReleasesTheLock(boolean wait) {
        String document = newDocument("fail-inside");
        assertOk(post(document, "v1", "alice", newRequestId("seed")));
        hooks.validation().fail(document, new IllegalStateException("validation service unavailable"));
        String failedRequest = newRequestId("failed");

        assertThat(post(document, "v2", "alice", failedRequest, wait).statusCode()).isEqualTo(500);

        assertUnchangedAtRevisionOne(document);
        assertThat(Database.lockFor(failedRequest).releaseReason()).isEqualTo("RELEASED");
        assertThat(assertOk(post(document, "v3", "bob", newRequestId("next"))).getLong("revision")).isEqualTo(2);
    }

    @ParameterizedTest(name = "wait={0}")
    @ValueSource(booleans = {false, true})
    void aFailureBeforeTheCommitRollsBackTheWriteAndReleasesTheLock(boolean wait) {
        String document = newDocument("fail-before-commit");
        assertOk(post(document, "v1", "alice", newRequestId("seed")));
        hooks.audit().fail(document, new IllegalStateException("audit store unavailable"));
        String failedRequest = newRequestId("failed");

        assertThat(post(document, "v2", "alice", failedRequest, wait).statusCode()).isEqualTo(500);

        assertUnchangedAtRevisionOne(document);
        assertThat(Database.lockFor(failedRequest).releaseReason()).isEqualTo("RELEASED");
        assertThat(assertOk(post(document, "v3", "bob", newRequestId("next"))).getLong("revision")).isEqualTo(2);
    }

    private static void assertUnchangedAtRevisionOne(String document) {
        assertThat(Database.document(document)).hasValueSatisfying(row -> {
            assertThat(row.content()).isEqualTo("v1");
            assertThat(row.revision()).isEqualTo(1);
        });
        assertThat(Database.changesOf(document)).extracting(ChangeRow::revision).containsExactly(1L);
    }

    /** Runs every call at once on the client threads and waits for all their answers. */
    private List<Response> all(List<Callable<Response>> calls) throws Exception {
        List<Future<Response>> futures = new ArrayList<>();
        for (Callable<Response> call : calls) {
            futures.add(clients.submit(call));
        }
        List<Response> responses = new ArrayList<>();
        for (Future<Response> future : futures) {
            responses.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        return responses;
    }
}

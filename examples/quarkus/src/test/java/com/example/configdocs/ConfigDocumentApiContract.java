package com.example.configdocs;

import static com.example.configdocs.Api.assertBlockedBy;
import static com.example.configdocs.Api.assertInvalid;
import static com.example.configdocs.Api.assertInvalidLockRequest;
import static com.example.configdocs.Api.assertOk;
import static com.example.configdocs.Api.get;
import static com.example.configdocs.Api.newDocument;
import static com.example.configdocs.Api.newRequestId;
import static com.example.configdocs.Api.post;
import static com.example.configdocs.Api.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.configdocs.Database.LockRow;
import dev.apilock.LockAdmin;
import dev.apilock.LockInfo;
import dev.apilock.LockInfo.ReleaseReason;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import io.quarkus.hibernate.orm.PersistenceUnit;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManagerFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API without contention: writes and reads, who and which request the lock records, refused
 * requests, and a lock held by another instance.
 */
abstract class ConfigDocumentApiContract {

    private static final LockType CONFIGDOCS = LockType.CONFIGDOCS_UPDATE;

    /** apilock's persistence unit, for a LockTemplate of the test's own: another instance. */
    @Inject
    @PersistenceUnit("apilock")
    EntityManagerFactory entityManagerFactory;

    /** apilock's bean, on the unit apilock.persistence-unit names. */
    @Inject
    LockAdmin lockAdmin;

    @Test
    void eachPostWritesTheNextRevisionUnderAHigherFencingTokenAndGetReadsIt() {
        String document = newDocument("write");
        String firstRequest = newRequestId("first");
        JsonPath first = assertOk(post(document, "colour=blue", "alice", firstRequest));
        JsonPath second = assertOk(post(document, "colour=green", "bob", newRequestId("second")));

        assertThat(first.getLong("revision")).isEqualTo(1);
        assertThat(first.getLong("fencingToken")).isEqualTo(Database.lockFor(firstRequest).fencingToken());
        assertThat(second.getLong("revision")).isEqualTo(2);
        assertThat(second.getLong("fencingToken")).isGreaterThan(first.getLong("fencingToken"));
        JsonPath read = assertOk(get(document));
        assertThat(read.getString("content")).isEqualTo("colour=green");
        assertThat(read.getString("updatedBy")).isEqualTo("bob");
        assertThat(read.getLong("revision")).isEqualTo(2);
        assertThat(Database.lockFor(firstRequest).released()).isTrue();
    }

    @Test
    void theLockRecordsTheSignedInUserAndTheRequestId() {
        String document = newDocument("who");
        String requestId = newRequestId("signed-in");
        assertOk(post(document, "x=1", "carol", requestId));

        LockRow lock = Database.lockFor(requestId);
        assertThat(lock.user()).isEqualTo("carol");
        assertThat(Database.changesOf(document)).singleElement()
                .satisfies(change -> assertThat(change.lockId()).isEqualTo(lock.id()));
    }

    @Test
    void postWithoutCredentialsOrRequestIdIsWrittenByAnonymousUnderAGeneratedReference() {
        String document = newDocument("anonymous");
        assertOk(post(document, "x=1", null, null));

        LockRow lock = Database.lock(Database.changesOf(document).get(0).lockId());
        assertThat(lock.user()).isEqualTo("anonymous");
        assertThat(lock.reference()).matches("[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(assertOk(get(document)).getString("updatedBy")).isEqualTo("anonymous");
    }

    @Test
    void withoutARequestIdTheReferenceIsTheTraceIdOfTheRequestsTraceparent() {
        String document = newDocument("traced");
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        assertOk(request("dave", null).header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .body(Map.of("content", "x=1")).post("/configdocs/{name}", document));

        assertThat(Database.lock(Database.changesOf(document).get(0).lockId()).reference()).isEqualTo(traceId);
    }

    @Test
    void wrongCredentialsAre401AndTakeNoLock() {
        String requestId = newRequestId("intruder");
        Response response = request(null, requestId).auth().preemptive().basic("alice", "guess")
                .body(Map.of("content", "x=1")).post("/configdocs/{name}", newDocument("intruder"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Database.locksFor(requestId)).isEmpty();
    }

    @Test
    void getOfAnUnknownDocumentIs404() {
        assertThat(get(newDocument("missing")).statusCode()).isEqualTo(404);
    }

    @Test
    void blankContentIsRefusedWith400AndNothingIsWritten() {
        String document = newDocument("blank");
        String requestId = newRequestId("blank");
        assertInvalid(post(document, "  ", "alice", requestId), "must not be blank");

        assertThat(Database.document(document)).isEmpty();
        assertThat(Database.lockFor(requestId).releaseReason()).isEqualTo("RELEASED");
    }

    @Test
    void apilocksRefusalOfABadLockRequestIsA400() {
        String document = newDocument("long-request-id");
        assertInvalidLockRequest(post(document, "x=1", "alice", "r".repeat(256)),
                "Reference id must be at most 255 characters");

        assertThat(Database.document(document)).isEmpty();
    }

    @Test
    void postWhileAnotherInstanceHoldsTheLockIsRefusedWith409NamingIt() {
        String document = newDocument("elsewhere");
        String reference = newRequestId("batch");
        LockTemplate otherInstance = new LockTemplate(entityManagerFactory);

        otherInstance.execute(CONFIGDOCS, reference, "nightly-batch", lock -> {
            Response refused = post(document, "x=1", "alice", newRequestId("refused"));
            assertBlockedBy(refused, "nightly-batch", reference, lock.expiresAt());
            return null;
        });

        assertThat(Database.document(document)).isEmpty();
        assertOk(post(document, "x=2", "alice", newRequestId("after")));
    }

    @Test
    void lockAdminSeesLocksThroughApilocksPersistenceUnit() {
        String reference = newRequestId("admin");
        LockTemplate otherInstance = new LockTemplate(entityManagerFactory);

        String lockId = otherInstance.execute(CONFIGDOCS, reference, "operator", lock -> {
            assertThat(lockAdmin.active(CONFIGDOCS.name())).map(LockInfo::lockId).contains(lock.lockId());
            return lock.lockId();
        });

        assertThat(lockAdmin.active(CONFIGDOCS.name())).isEmpty();
        assertThat(lockAdmin.find(lockId)).hasValueSatisfying(info -> {
            assertThat(info.referenceId()).isEqualTo(reference);
            assertThat(info.user()).isEqualTo("operator");
            assertThat(info.releaseReason()).isEqualTo(ReleaseReason.RELEASED);
        });
    }
}

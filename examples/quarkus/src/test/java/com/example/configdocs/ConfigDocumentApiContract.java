package com.example.configdocs;

import static com.example.configdocs.Api.assertBlockedBy;
import static com.example.configdocs.Api.assertInvalid;
import static com.example.configdocs.Api.assertOk;
import static com.example.configdocs.Api.get;
import static com.example.configdocs.Api.newDocument;
import static com.example.configdocs.Api.newRequestId;
import static com.example.configdocs.Api.post;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

/** The API without contention: writes and reads, refused requests, and a lock held by another instance. */
abstract class ConfigDocumentApiContract {

    private static final LockType CONFIGDOCS = LockType.CONFIGDOCS_UPDATE;

    /** apilock's persistence unit, for a LockTemplate of the test's own: another instance. */
    @Inject
    @PersistenceUnit("apilock")
    EntityManagerFactory entityManagerFactory;

    @Inject
    LockAdmin lockAdmin;

    @Test
    void eachPostWritesTheNextRevisionUnderAHigherFencingTokenAndGetReadsIt() {
        String document = newDocument("write");
        String firstRequest = newRequestId("first");
        JsonPath first = assertOk(post(document, "colour=blue", "alice", firstRequest, null));
        JsonPath second = assertOk(post(document, "colour=green", "bob", newRequestId("second"), null));

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
    void postWithoutHeadersIsWrittenByAnonymousUnderAGeneratedRequestId() {
        String document = newDocument("anonymous");
        assertOk(post(document, "x=1", null, null, null));

        String requestId = Database.changesOf(document).get(0).requestId();
        assertThat(requestId).matches("[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(Database.lockFor(requestId).user()).isEqualTo("anonymous");
    }

    @Test
    void getOfAnUnknownDocumentIs404() {
        assertThat(get(newDocument("missing")).statusCode()).isEqualTo(404);
    }

    @Test
    void blankContentIsRefusedWith400AndNothingIsWritten() {
        String document = newDocument("blank");
        String requestId = newRequestId("blank");
        assertInvalid(post(document, "  ", "alice", requestId, null), "must not be blank");

        assertThat(Database.document(document)).isEmpty();
        assertThat(Database.lockFor(requestId).releaseReason()).isEqualTo("RELEASED");
    }

    @Test
    void malformedWaitIsRefusedWith400() {
        assertInvalid(post(newDocument("wait"), "x=1", "alice", newRequestId("wait"), "5 seconds"),
                "ISO-8601 duration");
    }

    @Test
    void apilocksRefusalOfABadLockRequestIsA400() {
        String requestId = newRequestId("long-wait");
        assertInvalid(post(newDocument("wait"), "x=1", "alice", requestId, "PT48H"), "Maximum wait");
        assertInvalid(post(newDocument("user"), "x=1", "u".repeat(256), newRequestId("long-user"), null),
                "User must be at most 255 characters");

        assertThat(Database.locksFor(requestId)).isEmpty();
    }

    @Test
    void postWhileAnotherInstanceHoldsTheLockIsRefusedWith409NamingIt() {
        String document = newDocument("elsewhere");
        String reference = newRequestId("batch");
        LockTemplate otherInstance = new LockTemplate(entityManagerFactory);

        otherInstance.execute(CONFIGDOCS, reference, "nightly-batch", lock -> {
            Response refused = post(document, "x=1", "alice", newRequestId("refused"), null);
            assertBlockedBy(refused, "nightly-batch", reference, lock.lockId(), lock.expiresAt());
            return null;
        });

        assertThat(Database.document(document)).isEmpty();
        assertOk(post(document, "x=2", "alice", newRequestId("after"), null));
    }

    /** ApiLockEntity is in the default persistence unit with no configuration: the JPQL lookups work. */
    @Test
    void lockAdminSeesLocksThroughTheApplicationsPersistenceUnit() {
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

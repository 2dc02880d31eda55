package com.example.configdocs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.apilock.ApiLockAcquireException;
import dev.apilock.LockType;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The HTTP API as a client calls it, and what its answers must look like. */
final class Api {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private Api() {
    }

    /** A document name no other test uses. */
    static String newDocument(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
    }

    /** A request id no other request uses. */
    static String newRequestId(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36) + "-" + NAMES.incrementAndGet();
    }

    /**
     * POST /configdocs/{name} as {@code user} (basic authentication; null: anonymous) with
     * {@code X-Request-Id: requestId} (null: none), waiting for the lock or not.
     */
    static Response post(String document, String content, String user, String requestId, boolean wait) {
        return request(user, requestId).body(Map.of("content", content)).queryParam("wait", wait)
                .post("/configdocs/{name}", document);
    }

    static Response post(String document, String content, String user, String requestId) {
        return post(document, content, user, requestId, false);
    }

    /** A request as {@code user} (password {@code <user>-secret}, see application.properties). */
    static RequestSpecification request(String user, String requestId) {
        RequestSpecification request = given().contentType(ContentType.JSON);
        if (user != null) {
            request.auth().preemptive().basic(user, user + "-secret");
        }
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        return request;
    }

    static Response get(String document) {
        return given().get("/configdocs/{name}", document);
    }

    static JsonPath assertOk(Response response) {
        assertThat(response.statusCode()).as("status of %s", response.asString()).isEqualTo(200);
        return response.jsonPath();
    }

    /**
     * apilock's 409 (RFC 9457 {@code application/problem+json}) naming the holder of the lock, with
     * a {@code Retry-After} of the holder's time left; no lock id or fencing token by default.
     */
    static void assertBlockedBy(Response response, String user, String reference, Instant expiresAt) {
        Instant answered = Instant.now();
        assertThat(response.statusCode()).as("status of %s", response.asString()).isEqualTo(409);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        JsonPath problem = response.jsonPath();
        assertThat(problem.getString("type")).isEqualTo("urn:apilock:problem:blocked-by-another-process");
        assertThat(problem.getString("title")).isEqualTo("Blocked by another process");
        assertThat(problem.getInt("status")).isEqualTo(409);
        assertThat(problem.getString("detail")).isEqualTo(ApiLockAcquireException.description(LockType.CONFIGDOCS_UPDATE));
        assertThat(problem.getString("lockType")).isEqualTo("configdocs_update");
        assertThat(problem.getString("heldBy")).isEqualTo(user);
        assertThat(problem.getString("reference")).isEqualTo(reference);
        assertThat(Instant.parse(problem.getString("expiresAt"))).isEqualTo(expiresAt);
        assertThat(problem.getBoolean("retry")).isFalse();
        assertThat(problem.getMap("")).doesNotContainKeys("lockId", "fencingToken");
        // Whole seconds, rounded up, of the time the holder had left when the answer was made:
        // at most the type's expiry, and no less than what is left now, after the answer.
        long retryAfter = Long.parseLong(response.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, LockType.CONFIGDOCS_UPDATE.expiresAfter().toSeconds())
                .isGreaterThanOrEqualTo(Duration.between(answered, expiresAt).toSeconds());
    }

    /** This application's 400 problem+json. */
    static void assertInvalid(Response response, String detailContains) {
        assertThat(response.statusCode()).as("status of %s", response.asString()).isEqualTo(400);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        JsonPath problem = response.jsonPath();
        assertThat(problem.getString("title")).isEqualTo("Invalid request");
        assertThat(problem.getInt("status")).isEqualTo(400);
        assertThat(problem.getString("detail")).contains(detailContains);
    }

    /** apilock's 400 problem+json: a lock request it refused before touching the database. */
    static void assertInvalidLockRequest(Response response, String detailContains) {
        assertThat(response.statusCode()).as("status of %s", response.asString()).isEqualTo(400);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        JsonPath problem = response.jsonPath();
        assertThat(problem.getString("type")).isEqualTo("urn:apilock:problem:invalid-lock-request");
        assertThat(problem.getString("title")).isEqualTo("Invalid lock request");
        assertThat(problem.getInt("status")).isEqualTo(400);
        assertThat(problem.getString("detail")).contains(detailContains);
    }
}

package com.example.configdocs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.apilock.ApiLockAcquireException;
import dev.apilock.LockType;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
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

    /** POST /configdocs/{name}; {@code wait} null for the default (fail fast). */
    static Response post(String document, String content, String user, String requestId, String wait) {
        RequestSpecification request = given().contentType(ContentType.JSON).body(Map.of("content", content));
        if (user != null) {
            request.header("X-User", user);
        }
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        if (wait != null) {
            request.queryParam("wait", wait);
        }
        return request.post("/configdocs/{name}", document);
    }

    static Response get(String document) {
        return given().get("/configdocs/{name}", document);
    }

    static JsonPath assertOk(Response response) {
        assertThat(response.statusCode()).as("status of %s", response.asString()).isEqualTo(200);
        return response.jsonPath();
    }

    /** A 409 problem+json naming the holder of the lock, as RFC 9457 and apilock describe it. */
    static void assertBlockedBy(Response response, String user, String reference, String lockId, Instant expiresAt) {
        assertThat(response.statusCode()).as("status of %s", response.asString()).isEqualTo(409);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        JsonPath problem = response.jsonPath();
        assertThat(problem.getString("type")).isEqualTo("/problems/blocked-by-another-process");
        assertThat(problem.getString("title")).isEqualTo("Blocked by another process");
        assertThat(problem.getInt("status")).isEqualTo(409);
        assertThat(problem.getString("detail")).isEqualTo(ApiLockAcquireException.description(LockType.CONFIGDOCS_UPDATE));
        assertThat(problem.getString("user")).isEqualTo(user);
        assertThat(problem.getString("reference")).isEqualTo(reference);
        assertThat(problem.getString("lockId")).isEqualTo(lockId);
        assertThat(Instant.parse(problem.getString("expiresAt"))).isEqualTo(expiresAt);
        assertThat(problem.getBoolean("retry")).isFalse();
    }

    /** A 400 problem+json. */
    static void assertInvalid(Response response, String detailContains) {
        assertThat(response.statusCode()).as("status of %s", response.asString()).isEqualTo(400);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        JsonPath problem = response.jsonPath();
        assertThat(problem.getString("title")).isEqualTo("Invalid request");
        assertThat(problem.getInt("status")).isEqualTo(400);
        assertThat(problem.getString("detail")).contains(detailContains);
    }
}

package dev.apilock.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.zaxxer.hikari.HikariDataSource;
import com.google.gson.JsonParser;
import dev.apilock.ApiLockAcquireException;
import dev.apilock.LockHandle;
import dev.apilock.LockOperations;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import dev.apilock.TestDatabase;
import jakarta.persistence.EntityManagerFactory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The mapper's answers over HTTP, in Jersey on Grizzly, for apilock's real refusals and failures:
 * RFC 9457 problems with {@code Retry-After} for a 409.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiLockExceptionMapperTest {

    private static final LockType TYPE = LockType.of("mapped", Duration.ofSeconds(60));

    private TestDatabase database;
    private LockTemplate otherInstance;
    private HttpServer server;
    private HttpServer exposing;
    private Config exposingConfig;
    /** HTTP/1.1: Grizzly answers the JDK client's h2c upgrade offer without the Content-Type. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start() {
        database = TestDatabase.create(TestDatabase.Kind.H2, getClass().getSimpleName());
        EntityManagerFactory factory = database.entityManagerFactory();
        otherInstance = new LockTemplate(database.entityManagerFactory());
        // A pool that is gone: every operation fails with ApiLockException.
        HikariDataSource gonePool = database.dataSource(1);
        EntityManagerFactory goneFactory = database.entityManagerFactory(gonePool);
        gonePool.close();
        Locks resource = new Locks(new LockTemplate(factory), new LockTemplate(goneFactory));
        server = serve(new ResourceConfig().register(resource).register(new ApiLockExceptionMapper(false)));
        // The no-argument mapper reads apilock.problem.expose-lock-id, as Quarkus creates it.
        exposingConfig = Cdi.useConfig(Map.of("apilock.problem.expose-lock-id", "true"));
        exposing = serve(new ResourceConfig().register(resource).register(ApiLockExceptionMapper.class));
    }

    @AfterAll
    void stop() {
        for (HttpServer running : new HttpServer[] {server, exposing}) {
            if (running != null) {
                running.shutdownNow();
            }
        }
        if (exposingConfig != null) {
            ConfigProviderResolver.instance().releaseConfig(exposingConfig);
        }
        if (database != null) {
            database.close();
        }
    }

    @Path("/locks")
    public static class Locks {
        private final LockOperations locks;
        private final LockOperations broken;

        Locks(LockOperations locks, LockOperations broken) {
            this.locks = locks;
            this.broken = broken;
        }

        @GET
        @Path("/{type}")
        public String take(@PathParam("type") String type, @QueryParam("reference") String reference) {
            return locks.execute(LockType.of(type, Duration.ofSeconds(60)), reference, "web", LockHandle::lockId);
        }

        @GET
        @Path("/broken")
        public String broken() {
            return broken.execute(TYPE, "req", "web", LockHandle::lockId);
        }
    }

    @Test
    void aRefusalIs409BlockedByAnotherProcessNamingTheHolder() {
        String reference = "batch \"17\" \\ nightly";
        otherInstance.execute(TYPE, reference, "nightly", lock -> {
            Instant asked = Instant.now();
            HttpResponse<String> response = get(server, "/locks/mapped?reference=web-1");

            assertThat(response.statusCode()).isEqualTo(409);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/problem+json"));
            long retryAfter = Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1L, 60L)
                    .isLessThanOrEqualTo(Duration.between(asked, lock.expiresAt()).toSeconds() + 1);
            JsonObject problem = JsonParser.parseString(response.body()).getAsJsonObject();
            assertThat(problem.keySet()).containsExactly("type", "title", "status", "detail", "lockType", "heldBy",
                    "reference", "expiresAt", "retry");
            assertThat(problem.get("type").getAsString()).isEqualTo("urn:apilock:problem:blocked-by-another-process");
            assertThat(problem.get("title").getAsString()).isEqualTo("Blocked by another process");
            assertThat(problem.get("status").getAsInt()).isEqualTo(409);
            assertThat(problem.get("detail").getAsString()).isEqualTo(ApiLockAcquireException.description(TYPE));
            assertThat(problem.get("lockType").getAsString()).isEqualTo("mapped");
            assertThat(problem.get("heldBy").getAsString()).isEqualTo("nightly");
            assertThat(problem.get("reference").getAsString()).isEqualTo(reference);
            assertThat(Instant.parse(problem.get("expiresAt").getAsString())).isEqualTo(lock.expiresAt());
            assertThat(problem.get("retry").getAsBoolean()).isFalse();
            return null;
        });
    }

    @Test
    void withExposeLockIdTheRefusalNamesTheHoldersLockAndFencingToken() {
        otherInstance.execute(TYPE, "batch-18", "nightly", lock -> {
            HttpResponse<String> response = get(exposing, "/locks/mapped?reference=web-2");

            assertThat(response.statusCode()).isEqualTo(409);
            JsonObject problem = JsonParser.parseString(response.body()).getAsJsonObject();
            assertThat(problem.get("lockId").getAsString()).isEqualTo(lock.lockId());
            assertThat(problem.get("fencingToken").getAsLong()).isEqualTo(lock.fencingToken());
            return null;
        });
    }

    @Test
    void aBadLockRequestIs400NamingTheBadValue() {
        HttpResponse<String> response = get(server, "/locks/bad%20type?reference=web-3");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        JsonObject problem = JsonParser.parseString(response.body()).getAsJsonObject();
        assertThat(problem.get("type").getAsString()).isEqualTo("urn:apilock:problem:invalid-lock-request");
        assertThat(problem.get("title").getAsString()).isEqualTo("Invalid lock request");
        assertThat(problem.get("status").getAsInt()).isEqualTo(400);
        assertThat(problem.get("detail").getAsString()).contains("'bad type'");
    }

    @Test
    void aDatabaseThatCannotBeReachedIs503SayingNothingOfIt() {
        HttpResponse<String> response = get(server, "/locks/broken");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        JsonObject problem = JsonParser.parseString(response.body()).getAsJsonObject();
        assertThat(problem.get("type").getAsString()).isEqualTo("urn:apilock:problem:lock-service-unavailable");
        assertThat(problem.get("status").getAsInt()).isEqualTo(503);
        assertThat(problem.get("detail").getAsString())
                .isEqualTo("The lock service could not be reached; try again later.");
    }

    @Test
    void aGrantedLockIsAnOrdinaryAnswer() {
        HttpResponse<String> response = get(server, "/locks/granted?reference=web-4");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).matches("[0-9A-HJKMNP-TV-Z]{26}");
    }

    private static HttpServer serve(ResourceConfig application) {
        return GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), application);
    }

    private HttpResponse<String> get(HttpServer target, String path) {
        int port = target.getListeners().iterator().next().getPort();
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

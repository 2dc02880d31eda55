package dev.apilock.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apilock.ApiLockSetupException;
import dev.apilock.ApiLocked;
import dev.apilock.CurrentLock;
import dev.apilock.LockAdmin;
import dev.apilock.LockCaller;
import dev.apilock.LockCallerResolver;

import dev.apilock.LockType;
import dev.apilock.TestDatabase;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.persistence.EntityManagerFactory;
import java.net.URI;
import java.security.Principal;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Who asks and for which request, by default: the principal, then the request's id, its trace, or a new id. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DefaultLockCallerResolverTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
    private static final String ULID = "[0-9A-HJKMNP-TV-Z]{26}";

    private TestDatabase database;
    private EntityManagerFactory locks;

    @BeforeAll
    void openDatabase() {
        database = TestDatabase.create(TestDatabase.Kind.H2, getClass().getSimpleName());
        locks = database.entityManagerFactory();
    }

    @AfterAll
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void outsideARequestWithoutAPrincipalTheCallerIsAnonymousWithANewId() {
        try (Cdi cdi = start(Cdi.builder())) {
            LockCaller caller = resolve(cdi);

            assertThat(caller.user()).isEqualTo("anonymous");
            assertThat(caller.referenceId()).matches(ULID).isNotEqualTo(resolve(cdi).referenceId());
        }
    }

    @Test
    void theUserIsThePrincipalsName() {
        try (Cdi cdi = start(Cdi.builder().bean(Principal.class, () -> "alice"))) {
            assertThat(resolve(cdi).user()).isEqualTo("alice");
        }
        try (Cdi cdi = start(Cdi.builder().bean(Principal.class, () -> ""))) {
            assertThat(resolve(cdi).user()).as("a principal without a name").isEqualTo("anonymous");
        }
    }

    @Test
    void theReferenceIsTheRequestsIdElseItsTraceIdElseANewId() {
        try (Cdi cdi = start(Cdi.builder())) {
            assertThat(inRequest(cdi, "req-17", TRACEPARENT).referenceId()).isEqualTo("req-17");
            assertThat(inRequest(cdi, "  ", TRACEPARENT).referenceId()).isEqualTo(TRACE_ID);
            assertThat(inRequest(cdi, null, "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01").referenceId())
                    .as("an invalid trace id").matches(ULID);
            assertThat(inRequest(cdi, null, null).referenceId()).matches(ULID);
        }
    }

    @Test
    void theCurrentOpenTelemetrySpansTraceIdComesBeforeTheTraceparentHeader() {
        String current = "0af7651916cd43dd8448eb211c80319c";
        Span span = Span.wrap(SpanContext.create(current, "b7ad6b7169203331", TraceFlags.getSampled(),
                TraceState.getDefault()));
        try (Cdi cdi = start(Cdi.builder()); Scope ignored = span.makeCurrent()) {
            assertThat(inRequest(cdi, null, TRACEPARENT).referenceId()).isEqualTo(current);
            assertThat(resolve(cdi).referenceId()).as("outside a request").isEqualTo(current);
            assertThat(inRequest(cdi, "req-18", TRACEPARENT).referenceId()).isEqualTo("req-18");
        }
    }

    @Test
    void aRequestIdTooLongForTheLockIsABadRequest() {
        try (Cdi cdi = start(Cdi.builder())) {
            assertThatThrownBy(() -> inRequest(cdi, "r".repeat(256), null))
                    .isInstanceOf(ApiLockSetupException.class)
                    .hasMessageContaining("Reference id must be at most 255 characters");
        }
    }

    @Test
    void theLockRecordsTheResolvedCaller() {
        try (Cdi cdi = start(Cdi.builder().bean(Principal.class, () -> "carol").beans(Locked.class))) {
            RequestContextController request = cdi.get(RequestContextController.class);
            request.activate();
            String lockId;
            try {
                new ApiLockRequestFilter().filter(jaxrsRequest("req-19", null));
                lockId = cdi.get(Locked.class).lockId();
            } finally {
                request.deactivate();
            }

            assertThat(cdi.get(LockAdmin.class).find(lockId)).hasValueSatisfying(lock -> {
                assertThat(lock.user()).isEqualTo("carol");
                assertThat(lock.referenceId()).isEqualTo("req-19");
            });
        }
    }

    private Cdi start(Cdi.Builder builder) {
        return builder.bean(EntityManagerFactory.class, locks).start();
    }

    private static LockCaller resolve(Cdi cdi) {
        return cdi.get(LockCallerResolver.class).resolve(LockType.CONFIGDOCS_UPDATE);
    }

    /** Resolved in a request whose headers the filter kept, as Jakarta REST runs it. */
    private static LockCaller inRequest(Cdi cdi, String requestId, String traceparent) {
        RequestContextController request = cdi.get(RequestContextController.class);
        request.activate();
        try {
            new ApiLockRequestFilter().filter(jaxrsRequest(requestId, traceparent));
            return resolve(cdi);
        } finally {
            request.deactivate();
        }
    }

    /** A request as Jersey hands it to a filter. */
    private static ContainerRequest jaxrsRequest(String requestId, String traceparent) {
        ContainerRequest request = new ContainerRequest(URI.create("http://localhost/"),
                URI.create("http://localhost/configdocs/site"), "POST", null, new org.glassfish.jersey.internal.MapPropertiesDelegate(),
                new ResourceConfig());
        if (requestId != null) {
            request.header(ApiLockRequestFilter.REQUEST_ID, requestId);
        }
        if (traceparent != null) {
            request.header(ApiLockRequestFilter.TRACEPARENT, traceparent);
        }
        return request;
    }

    @ApplicationScoped
    public static class Locked {
        @ApiLocked("configdocs_update")
        public String lockId() {
            return CurrentLock.handle().lockId();
        }
    }

}

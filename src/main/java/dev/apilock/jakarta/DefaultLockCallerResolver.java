package dev.apilock.jakarta;

import com.github.f4b6a3.ulid.UlidCreator;
import dev.apilock.LockCaller;
import dev.apilock.LockCallerResolver;
import dev.apilock.LockType;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.security.Principal;
import java.util.Optional;

/**
 * Who asks for an {@link dev.apilock.ApiLocked} lock, by default.
 *
 * <ul>
 *   <li>user: the name of the CDI {@link Principal} bean, the authenticated caller (Jakarta EE
 *       provides it; so does Quarkus security, with any of its authentication extensions);
 *       {@value #ANONYMOUS} without one, outside a request, or for a caller not signed in;</li>
 *   <li>reference: the current Jakarta REST request's {@code X-Request-Id}; else the current
 *       OpenTelemetry trace id, or that of the request's {@code traceparent} header; else a new ULID.</li>
 * </ul>
 *
 * <p>To decide otherwise, declare your own {@link LockCallerResolver} bean with
 * {@code @Alternative @Priority(1)} (in Quarkus a plain bean is enough).
 */
@ApplicationScoped
@DefaultBean
public class DefaultLockCallerResolver implements LockCallerResolver {

    /** The user of a caller who is not signed in. */
    public static final String ANONYMOUS = "anonymous";

    @Inject
    Instance<Principal> principal;

    @Inject
    Instance<CurrentRequest> request;

    @Override
    public LockCaller resolve(LockType lockType) {
        Optional<CurrentRequest> current = CurrentRequest.find(request);
        String reference = current.flatMap(CurrentRequest::requestId)
                .or(OpenTelemetryTraces::currentTraceId)
                .or(() -> current.flatMap(CurrentRequest::traceId))
                .orElseGet(() -> UlidCreator.getMonotonicUlid().toString());
        return new LockCaller(user(), reference);
    }

    private String user() {
        if (!principal.isResolvable()) {
            return ANONYMOUS;
        }
        try {
            Principal caller = principal.get();
            String name = caller == null ? null : caller.getName();
            return name == null || name.isBlank() ? ANONYMOUS : name;
        } catch (ContextNotActiveException e) {
            return ANONYMOUS; // no request: nobody is signed in
        }
    }
}

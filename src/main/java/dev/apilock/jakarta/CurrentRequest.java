package dev.apilock.jakarta;

import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@link DefaultLockCallerResolver} needs of the current Jakarta REST request: its
 * {@code X-Request-Id} and W3C {@code traceparent} headers, kept by {@link ApiLockRequestFilter}.
 */
@RequestScoped
public class CurrentRequest {

    /** version-traceid-parentid-flags, e.g. {@code 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}. */
    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}.*");
    private static final String INVALID_TRACE_ID = "0".repeat(32);

    private volatile String requestId;
    private volatile String traceId;

    /** The request's {@code X-Request-Id}, if it sent one that is not blank. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** The trace id of the request's {@code traceparent} header, if it sent a valid one. */
    public Optional<String> traceId() {
        return Optional.ofNullable(traceId);
    }

    /** Keeps the request's headers (either may be null). */
    public void headers(String requestIdHeader, String traceparentHeader) {
        requestId = requestIdHeader == null || requestIdHeader.isBlank() ? null : requestIdHeader.strip();
        traceId = traceIdOf(traceparentHeader);
    }

    static String traceIdOf(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        var matcher = TRACEPARENT.matcher(traceparent.strip());
        return matcher.matches() && !matcher.group(1).equals(INVALID_TRACE_ID) ? matcher.group(1) : null;
    }

    /** This request's instance, or empty where no request scope is active or CDI is absent. */
    static Optional<CurrentRequest> find(Instance<CurrentRequest> requests) {
        if (!requests.isResolvable()) {
            return Optional.empty();
        }
        try {
            CurrentRequest current = requests.get();
            current.requestId(); // a client proxy reaches the scope only now
            return Optional.of(current);
        } catch (ContextNotActiveException e) {
            return Optional.empty();
        }
    }

    /** As {@link #find(Instance)}, through {@link CDI#current()}, for callers that are not beans themselves. */
    static Optional<CurrentRequest> find() {
        try {
            return find(CDI.current().select(CurrentRequest.class));
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }
}

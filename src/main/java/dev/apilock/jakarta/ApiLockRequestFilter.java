package dev.apilock.jakarta;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Keeps each Jakarta REST request's {@code X-Request-Id} and {@code traceparent} headers in its
 * {@link CurrentRequest}, for {@link DefaultLockCallerResolver}. Found by Quarkus through the jar's
 * Jandex index, and by Jakarta EE servers' provider scanning.
 */
@Provider
public class ApiLockRequestFilter implements ContainerRequestFilter {

    /** The header whose value becomes the lock's reference id. */
    public static final String REQUEST_ID = "X-Request-Id";
    /** W3C Trace Context: its trace id is the reference when no request id is sent. */
    public static final String TRACEPARENT = "traceparent";

    @Override
    public void filter(ContainerRequestContext request) {
        CurrentRequest.find().ifPresent(current ->
                current.headers(request.getHeaderString(REQUEST_ID), request.getHeaderString(TRACEPARENT)));
    }
}

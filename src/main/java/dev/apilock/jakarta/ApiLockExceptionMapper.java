package dev.apilock.jakarta;

import dev.apilock.ApiLockAcquireException;
import dev.apilock.ApiLockException;
import dev.apilock.ApiLockProblem;
import dev.apilock.ApiLockSetupException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers apilock's exceptions in Jakarta REST as RFC 9457 problems ({@code application/problem+json},
 * see {@link ApiLockProblem}): 409 "Blocked by another process" with {@code Retry-After} for
 * {@link ApiLockAcquireException}, 400 for {@link ApiLockSetupException}, 503 for any other
 * {@link ApiLockException} (its cause logged, not shown). {@code apilock.problem.expose-lock-id=true}
 * adds the holder's lock id and fencing token to a 409.
 *
 * <p>Found by Quarkus through the jar's Jandex index and by Jakarta EE servers' provider scanning;
 * in plain Jakarta REST register it yourself. An {@code ExceptionMapper} of the application's own
 * for one of these exceptions is closer to it and wins.
 */
@Provider
public class ApiLockExceptionMapper implements ExceptionMapper<ApiLockException> {

    private static final Logger log = LoggerFactory.getLogger(ApiLockExceptionMapper.class);

    private volatile Boolean exposeLockId;

    /** Reads {@code apilock.problem.expose-lock-id} (see {@link ApiLockSettings}) on first use. */
    public ApiLockExceptionMapper() {
    }

    /** A mapper that names the holder's lock id and fencing token in a 409, or not. */
    public ApiLockExceptionMapper(boolean exposeLockId) {
        this.exposeLockId = exposeLockId;
    }

    @Override
    public Response toResponse(ApiLockException exception) {
        ApiLockProblem problem = ApiLockProblem.of(exception, exposeLockId());
        if (problem.status() >= 500) {
            log.warn("Lock service failed, answered {}: {}", problem.status(), exception.toString(), exception);
        } else if (!(exception instanceof ApiLockAcquireException)) {
            log.debug("Lock request refused, answered {}: {}", problem.status(), exception.getMessage());
        }
        Response.ResponseBuilder response = Response.status(problem.status())
                .type(ApiLockProblem.MEDIA_TYPE)
                .entity(ProblemJson.write(problem.body()));
        problem.retryAfterSeconds().ifPresent(seconds -> response.header(HttpHeaders.RETRY_AFTER, seconds));
        return response.build();
    }

    private boolean exposeLockId() {
        Boolean expose = exposeLockId;
        if (expose == null) {
            expose = ApiLockSettings.load().exposeLockId();
            exposeLockId = expose;
        }
        return expose;
    }
}

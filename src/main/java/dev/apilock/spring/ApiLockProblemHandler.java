package dev.apilock.spring;

import dev.apilock.ApiLockAcquireException;
import dev.apilock.ApiLockException;
import dev.apilock.ApiLockProblem;
import dev.apilock.ApiLockSetupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers apilock's exceptions the web's way, as RFC 9457 problems ({@code application/problem+json}):
 * 409 "Blocked by another process" with a {@code Retry-After} of the holder's time left, 400 for a
 * bad lock request, 503 when the lock's database fails (its details only in the log); see
 * {@link ApiLockProblem}. An {@code @ExceptionHandler} of the application's own for these exceptions
 * runs instead, and so does a bean of this type of its own.
 */
@RestControllerAdvice
public class ApiLockProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiLockProblemHandler.class);

    private final boolean exposeLockId;

    /** @param exposeLockId whether a 409 names the holder's lock id and fencing token */
    public ApiLockProblemHandler(boolean exposeLockId) {
        this.exposeLockId = exposeLockId;
    }

    @ExceptionHandler
    public ResponseEntity<ProblemDetail> handle(ApiLockException exception) {
        ApiLockProblem problem = ApiLockProblem.of(exception, exposeLockId);
        if (exception instanceof ApiLockAcquireException || exception instanceof ApiLockSetupException) {
            log.debug("Answering {}: {}", problem.status(), exception.getMessage());
        } else {
            log.warn("Answering 503: the lock service failed: {}", exception.getMessage(), exception);
        }
        ProblemDetail body = ProblemDetail.forStatus(problem.status());
        body.setType(problem.type());
        body.setTitle(problem.title());
        body.setDetail(problem.detail());
        problem.members().forEach(body::setProperty);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.status());
        problem.retryAfterSeconds().ifPresent(seconds -> response.header(HttpHeaders.RETRY_AFTER, seconds));
        return response.body(body);
    }
}

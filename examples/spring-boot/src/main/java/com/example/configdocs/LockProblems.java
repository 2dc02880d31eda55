package com.example.configdocs;

import dev.apilock.ApiLockAcquireException;
import dev.apilock.ApiLockException;
import dev.apilock.ApiLockSetupException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Answers lock refusals and failures as RFC 9457 problems ({@code application/problem+json}). */
@RestControllerAdvice
class LockProblems {

    static final URI BLOCKED = URI.create("https://apilock.dev/problems/blocked-by-another-process");

    /** 409 naming the holder, so a client can tell its user who is editing and until when. */
    @ExceptionHandler
    ProblemDetail blocked(ApiLockAcquireException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(e.status()), e.description());
        problem.setType(BLOCKED);
        problem.setTitle(e.title());
        problem.setProperty("lockType", e.lockType().name());
        e.holder().ifPresent(holder -> {
            problem.setProperty("user", holder.user());
            problem.setProperty("reference", holder.referenceId());
            problem.setProperty("lockId", holder.lockId());
            problem.setProperty("expiresAt", holder.expiresAt().toString());
        });
        problem.setProperty("retry", e.retry());
        return problem;
    }

    /** A bad user, request id or wait: nothing was written. */
    @ExceptionHandler
    ProblemDetail badLockRequest(ApiLockSetupException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail invalidDocument(InvalidDocumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    /** The lock's database failed (unreachable, pool exhausted, lock lost): try again later. */
    @ExceptionHandler
    ProblemDetail lockUnavailable(ApiLockException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        problem.setTitle("Lock service unavailable");
        return problem;
    }
}

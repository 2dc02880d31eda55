package com.example.configdocs;

import dev.apilock.ApiLockAcquireException;
import dev.apilock.ApiLockException;
import dev.apilock.ApiLockSetupException;
import dev.apilock.LockInfo;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/**
 * How apilock's exceptions, and this application's own refusals, are answered over HTTP. The
 * most specific mapper wins, so {@link ApiLockException} here means "anything else apilock threw".
 */
public final class ApiLockProblems {

    static final String TYPE_BASE = "/problems/";

    private ApiLockProblems() {
    }

    /** 409: another request or instance holds the lock; the body names it. Not worth retrying. */
    @Provider
    public static class Blocked implements ExceptionMapper<ApiLockAcquireException> {
        @Override
        public Response toResponse(ApiLockAcquireException e) {
            LockInfo holder = e.holder().orElse(null);
            return new Problem(TYPE_BASE + "blocked-by-another-process", e.title(), e.status(), e.description(),
                    holder == null ? null : holder.user(),
                    holder == null ? null : holder.referenceId(),
                    holder == null ? null : holder.lockId(),
                    holder == null ? null : holder.expiresAt(),
                    e.retry()).toResponse();
        }
    }

    /** 400: a lock request apilock refused before touching the database (bad user, reference or wait). */
    @Provider
    public static class Setup implements ExceptionMapper<ApiLockSetupException> {
        @Override
        public Response toResponse(ApiLockSetupException e) {
            return Problem.of(TYPE_BASE + "invalid-request", "Invalid request", 400, e.getMessage()).toResponse();
        }
    }

    /** 400: content, name or wait this application refuses. */
    @Provider
    public static class Invalid implements ExceptionMapper<InvalidRequestException> {
        @Override
        public Response toResponse(InvalidRequestException e) {
            return Problem.of(TYPE_BASE + "invalid-request", "Invalid request", 400, e.getMessage()).toResponse();
        }
    }

    /** 503: the lock service failed (database unreachable, ...); the cause is logged, not shown. */
    @Provider
    public static class Unavailable implements ExceptionMapper<ApiLockException> {
        private static final Logger log = Logger.getLogger(ApiLockProblems.class);

        @Override
        public Response toResponse(ApiLockException e) {
            log.warn("Lock service failed", e);
            return Problem.of(TYPE_BASE + "lock-service-unavailable", "Lock service unavailable", 503,
                    "The lock service is unavailable; try again later.").toResponse();
        }
    }
}

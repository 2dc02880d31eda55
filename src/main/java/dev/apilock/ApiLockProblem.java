package dev.apilock;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP problem (RFC 9457, {@code application/problem+json}) for an apilock exception, whatever
 * the web framework: the Spring MVC and Jakarta REST integrations render it.
 *
 * <ul>
 *   <li>{@link ApiLockAcquireException}: 409, title "Blocked by another process", detail the origin's
 *       description (type and expiry), a {@code Retry-After} of the holder's time left, and the
 *       members {@code lockType}, {@code heldBy}, {@code reference}, {@code expiresAt} and
 *       {@code retry: false}; {@code lockId} and {@code fencingToken} only if asked for.</li>
 *   <li>{@link ApiLockSetupException}: 400, the bad value named in the detail.</li>
 *   <li>any other {@link ApiLockException}: 503, a detail that says nothing of the database.</li>
 * </ul>
 *
 * @param type       the problem type, a URN of apilock's
 * @param status     the HTTP status
 * @param title      a short summary
 * @param detail     this occurrence
 * @param retryAfter for the {@code Retry-After} header, if any
 * @param members    extension members, in order
 */
public record ApiLockProblem(URI type, int status, String title, String detail, Optional<Duration> retryAfter,
                             Map<String, Object> members) {

    public static final URI BLOCKED = URI.create("urn:apilock:problem:blocked-by-another-process");
    public static final URI INVALID = URI.create("urn:apilock:problem:invalid-lock-request");
    public static final URI UNAVAILABLE = URI.create("urn:apilock:problem:lock-service-unavailable");

    public static final String MEDIA_TYPE = "application/problem+json";

    public ApiLockProblem {
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    /**
     * The problem for {@code exception}.
     *
     * @param exposeLock whether a refusal names the holder's lock id and fencing token
     */
    public static ApiLockProblem of(ApiLockException exception, boolean exposeLock) {
        if (exception instanceof ApiLockAcquireException blocked) {
            return blocked(blocked, exposeLock);
        }
        if (exception instanceof ApiLockSetupException) {
            return new ApiLockProblem(INVALID, 400, "Invalid lock request", exception.getMessage(), Optional.empty(),
                    Map.of());
        }
        return new ApiLockProblem(UNAVAILABLE, 503, "Lock service unavailable",
                "The lock service could not be reached; try again later.", Optional.empty(), Map.of());
    }

    private static ApiLockProblem blocked(ApiLockAcquireException blocked, boolean exposeLock) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("lockType", blocked.lockType().name());
        blocked.holder().ifPresent(holder -> {
            members.put("heldBy", holder.user());
            members.put("reference", holder.referenceId());
            members.put("expiresAt", holder.expiresAt().toString());
            if (exposeLock) {
                members.put("lockId", holder.lockId());
                members.put("fencingToken", holder.fencingToken());
            }
        });
        members.put("retry", blocked.retry());
        Optional<Duration> retryAfter = blocked.timeLeft().map(left -> left.isNegative() ? Duration.ZERO : left);
        return new ApiLockProblem(BLOCKED, blocked.status(), blocked.title(), blocked.description(), retryAfter,
                members);
    }

    /** The {@code Retry-After} header's value: whole seconds, rounded up. */
    public Optional<String> retryAfterSeconds() {
        return retryAfter.map(left -> Long.toString((left.toMillis() + 999) / 1000));
    }

    /** The body's members in RFC 9457 order: type, title, status, detail, then the extension members. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.toString());
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.putAll(members);
        return body;
    }
}

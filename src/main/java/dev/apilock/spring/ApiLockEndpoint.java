package dev.apilock.spring;

import dev.apilock.ApiLockSetupException;
import dev.apilock.LockAdmin;
import dev.apilock.LockInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * The {@code apilock} Actuator endpoint, for operators. {@code GET /actuator/apilock}: the locks
 * held now and the latest acquisitions with what became of them, by the database clock.
 * {@code DELETE /actuator/apilock/types/{type}} and {@code DELETE /actuator/apilock/locks/{lockId}}
 * release a held lock as an operator ({@link LockAdmin#forceRelease}, {@link LockAdmin#release}),
 * only when {@code apilock.actuator.force-release-enabled=true}: refused with 403 otherwise.
 */
@WebEndpoint(id = "apilock")
public class ApiLockEndpoint {

    private static final Logger log = LoggerFactory.getLogger(ApiLockEndpoint.class);

    private final LockAdmin admin;
    private final boolean forceReleaseEnabled;
    private final int historyLimit;

    public ApiLockEndpoint(LockAdmin admin, boolean forceReleaseEnabled, int historyLimit) {
        this.admin = admin;
        this.forceReleaseEnabled = forceReleaseEnabled;
        this.historyLimit = historyLimit;
    }

    /** What the endpoint reads. */
    public record Locks(Instant databaseNow, List<LockInfo> held, List<LockInfo> history, boolean forceReleaseEnabled) {
    }

    @ReadOperation
    public Locks locks() {
        return new Locks(admin.databaseNow(), admin.active(), admin.history(historyLimit), forceReleaseEnabled);
    }

    /**
     * @param kind {@code types} or {@code locks}
     * @param name the lock type's name, or the lock's id
     */
    @DeleteOperation
    public WebEndpointResponse<Map<String, Object>> release(@Selector String kind, @Selector String name) {
        if (!forceReleaseEnabled) {
            return new WebEndpointResponse<>(Map.of("error", "Force release is disabled:"
                    + " set apilock.actuator.force-release-enabled=true to allow it"), 403);
        }
        Optional<LockInfo> released;
        try {
            released = switch (kind) {
                case "types" -> admin.forceRelease(name);
                case "locks" -> admin.release(name);
                default -> throw new ApiLockSetupException("Release 'types/{type}' or 'locks/{lockId}', not '"
                        + kind + "'");
            };
        } catch (ApiLockSetupException e) {
            return new WebEndpointResponse<>(Map.of("error", e.getMessage()), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
        if (released.isEmpty()) {
            return new WebEndpointResponse<>(Map.of("error", kind.equals("types") ? "No lock of type " + name
                    + " is held" : "Lock " + name + " is not held: already released"), WebEndpointResponse.STATUS_NOT_FOUND);
        }
        log.warn("Lock {} of type {} force-released through the actuator endpoint", released.get().lockId(),
                released.get().lockType());
        return new WebEndpointResponse<>(Map.of("released", released.get()), WebEndpointResponse.STATUS_OK);
    }
}

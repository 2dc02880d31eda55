package dev.apilock.spring;

import dev.apilock.ApiLockSetupException;
import dev.apilock.LockType;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * apilock's settings in a Spring Boot application, {@code apilock.*}.
 *
 * @param types      Lock types for @ApiLocked, by name, beside the built-in configdocs_update (60 s),
 *                   which a type of the same name replaces; e.g. apilock.types.invoice-export.expires=5m.
 * @param datasource A small connection pool of apilock's own; without a URL apilock works on the
 *                   application's EntityManagerFactory.
 * @param problem    How lock refusals and failures are answered over HTTP.
 * @param actuator   The apilock Actuator endpoint.
 */
@ConfigurationProperties("apilock")
public record ApiLockProperties(@DefaultValue Map<String, Type> types, @DefaultValue Datasource datasource,
                                @DefaultValue Problem problem, @DefaultValue Actuator actuator) {

    /**
     * A declared lock type.
     *
     * @param expires   How long a holder keeps the lock unless it releases it sooner: whole seconds,
     *                  from 1 s to 30 days (a bare number is seconds).
     * @param keepAlive Whether the lock is extended in the background while the method runs.
     */
    public record Type(@DurationUnit(ChronoUnit.SECONDS) @Nullable Duration expires, boolean keepAlive) {
    }

    /**
     * apilock's own pool (HikariCP), used when {@code url} is set. It is not a {@code DataSource}
     * bean, so Boot's own DataSource stays as it is.
     *
     * @param url             JDBC URL of the database holding apilock's tables; set, apilock gets a pool
     *                        and persistence unit of its own.
     * @param username        Login user of the database.
     * @param password        Login password of the database.
     * @param maximumPoolSize Connections in the pool: each lock operation holds one for a round trip or
     *                        two, so 2 to 4 serve many callers.
     */
    public record Datasource(@Nullable String url, @Nullable String username, @Nullable String password,
                             @DefaultValue("2") int maximumPoolSize) {

        /** Whether apilock gets a pool of its own. */
        public boolean configured() {
            return url != null && !url.isBlank();
        }
    }

    /**
     * @param exposeLockId Whether a 409 names the holder's lock id and fencing token.
     */
    public record Problem(boolean exposeLockId) {
    }

    /**
     * @param forceReleaseEnabled Whether DELETE /actuator/apilock/types/{type} or /locks/{lockId} may release
     *                            a held lock.
     * @param historyLimit        How many of the latest acquisitions the endpoint shows.
     */
    public record Actuator(boolean forceReleaseEnabled, @DefaultValue("20") int historyLimit) {
    }

    /** The declared types, checked: a missing or malformed expiry names its property. */
    public List<LockType> lockTypes() {
        return types.entrySet().stream().map(entry -> {
            Duration expires = entry.getValue().expires();
            if (expires == null) {
                throw new ApiLockSetupException("apilock.types." + entry.getKey() + ".expires is not set:"
                        + " give the lock type's expiry, e.g. 60s");
            }
            LockType type = new LockType(entry.getKey(), expires);
            return entry.getValue().keepAlive() ? type.withKeepAlive() : type;
        }).toList();
    }
}

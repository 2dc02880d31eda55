package dev.apilock.store;

import dev.apilock.LockInfo;
import dev.apilock.LockInfo.ReleaseReason;
import jakarta.persistence.Access;
import jakarta.persistence.AccessType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One row of {@code api_locks}: a lock acquisition, kept as history. Read-only through JPA:
 * rows are written by the native statements of {@link LockSql}, which the one-holder guarantee
 * depends on. A host application lists this class in its own persistence unit to share it.
 */
@Entity
@Table(name = "api_locks")
@Access(AccessType.FIELD)
public class ApiLockEntity {

    @Id
    @JdbcTypeCode(SqlTypes.CHAR)
    @Column(name = "id", length = 26, nullable = false, updatable = false)
    private String id;

    @Column(name = "lock_type", length = 128, nullable = false, updatable = false)
    private String lockType;

    @Column(name = "acquired_at", nullable = false, updatable = false)
    private Instant acquiredAt;

    /** Seconds. */
    @Column(name = "expires", nullable = false, updatable = false)
    private int expires;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "released", nullable = false)
    private boolean released;

    @Column(name = "released_at")
    private Instant releasedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "release_reason", length = 16)
    private ReleaseReason releaseReason;

    @Column(name = "locked_by", nullable = false, updatable = false)
    private String lockedBy;

    @Column(name = "reference_id", nullable = false, updatable = false)
    private String referenceId;

    @Column(name = "fencing_token")
    private Long fencingToken;

    protected ApiLockEntity() {
        // for JPA
    }

    public String getId() {
        return id;
    }

    public String getLockType() {
        return lockType;
    }

    public Instant getAcquiredAt() {
        return acquiredAt;
    }

    public int getExpires() {
        return expires;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public boolean isReleased() {
        return released;
    }

    public Instant getReleasedAt() {
        return releasedAt;
    }

    public ReleaseReason getReleaseReason() {
        return releaseReason;
    }

    public String getLockedBy() {
        return lockedBy;
    }

    public String getReferenceId() {
        return referenceId;
    }

    public Long getFencingToken() {
        return fencingToken;
    }

    public LockInfo toInfo() {
        return new LockInfo(id, lockType, lockedBy, referenceId, acquiredAt, expiresAt,
                fencingToken == null ? 0 : fencingToken, released, releasedAt, releaseReason);
    }
}

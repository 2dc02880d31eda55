package dev.apilock.store;

import dev.apilock.LockInfo;
import jakarta.persistence.EntityManagerFactory;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The administrative side of {@code api_locks}: listing active locks and history, an operator's
 * release, purging old history. Reads use JPQL; writes use the dialect's native statements, which
 * keep the one-active-lock index consistent. Each call is a short transaction of its own, outside
 * any transaction of the caller's, committed when it returns.
 * Thread-safe. Arguments are validated by the caller.
 */
public final class LockAdminRepository {


    private static final String HISTORY = """
            select l from ApiLockEntity l
             where (:type is null or l.lockType = :type)
             order by l.acquiredAt desc, l.id desc""";

    private final ApiLockRepository locks;

    public LockAdminRepository(EntityManagerFactory entityManagerFactory, Duration operationTimeout) {
        this.locks = new ApiLockRepository(entityManagerFactory, operationTimeout);
    }

    /** Every lock held now by the database clock, newest first: through the holder rows, one per type. */
    public List<LockInfo> findActive() {
        return locks.withConnection((connection, sql) -> sql.active(connection), e -> "Could not list the active locks");
    }

    /** The lock of a type held now: the origin's "latest active by date, id" lookup over the history. */
    public Optional<LockInfo> findActive(String lockType) {
        return locks.findLatestActive(lockType);
    }

    /** The newest {@code limit} rows of one type or (null) all types, newest first. */
    public List<LockInfo> findHistory(String lockType, int limit) {
        return locks.inSession((session, sql) -> session.createQuery(HISTORY, ApiLockEntity.class)
                        .setParameter("type", lockType)
                        .setMaxResults(limit)
                        .getResultList()
                        .stream()
                        .map(ApiLockEntity::toInfo)
                        .toList(),
                "Could not read the lock history" + ofType(lockType));
    }

    /** The row of a lock id, whatever its state. */
    public Optional<LockInfo> find(String lockId) {
        return locks.inSession((session, sql) -> Optional.ofNullable(session.get(ApiLockEntity.class, lockId))
                        .map(ApiLockEntity::toInfo),
                "Could not look up lock " + lockId);
    }

    /** Marks an unreleased row released with reason {@code FORCED}; false if it was already released. */
    public boolean forceRelease(String lockId) {
        return locks.forceRelease(lockId);
    }

    /** Deletes released or expired rows acquired more than {@code seconds} ago by the database clock. */
    public int purge(long seconds) {
        return locks.withConnection((connection, sql) -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.purgeSql())) {
                statement.setLong(1, seconds);
                return statement.executeUpdate();
            }
        }, e -> "Could not purge the lock history older than " + seconds + " s");
    }

    /** The database clock now. */
    public Instant databaseNow() {
        return locks.withConnection((connection, sql) -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.databaseNowSql());
                 ResultSet rs = statement.executeQuery()) {
                rs.next();
                return sql.timestamp(rs, 1);
            }
        }, e -> "Could not read the database clock");
    }

    private static String ofType(String lockType) {
        return lockType == null ? "" : " of type " + lockType;
    }
}

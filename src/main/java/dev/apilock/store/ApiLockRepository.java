package dev.apilock.store;

import dev.apilock.ApiLockException;
import dev.apilock.LockInfo;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.hibernate.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes {@code api_locks}. Every operation runs in its own short transaction on its
 * own {@link EntityManager} and connection, never joining a caller's transaction: a lock that
 * became visible only when the caller commits would be no lock. Thread-safe.
 *
 * <p>Writes go through the native statements of {@link LockSql}, on the JDBC connection of the
 * EntityManager, so that an acquisition costs one round trip on PostgreSQL; reads use JPQL.
 * Failures of the database come out as {@link ApiLockException} naming the lock and the cause.
 */
public final class ApiLockRepository {

    private static final Logger log = LoggerFactory.getLogger(ApiLockRepository.class);

    private static final String LATEST_ACTIVE = """
            select l from ApiLockEntity l
             where l.lockType = :type and l.released = false and l.expiresAt > current_timestamp
             order by l.acquiredAt desc, l.id desc""";

    private final EntityManagerFactory entityManagerFactory;

    /** Chosen from the first connection that works; not cached if that fails. */
    private volatile LockSql sql;

    public ApiLockRepository(EntityManagerFactory entityManagerFactory) {
        this.entityManagerFactory = Objects.requireNonNull(entityManagerFactory, "entityManagerFactory");
    }

    /**
     * Tries once to take the lock: reclaims an expired holder of the type, inserts the lock if
     * the type is free and checks that it is the latest active lock of its type.
     */
    public AcquireAttempt tryAcquire(NewLock lock) {
        try {
            return withConnection(
                    (connection, sql) -> sql.acquire(connection, lock),
                    e -> "Could not acquire lock " + lock.lockId() + " of type " + lock.lockType());
        } catch (LockInvariantException e) {
            release(lock.lockId());
            throw e;
        }
    }

    /**
     * Marks the lock released. Returns false if it was no longer held by this id: it expired and
     * was reclaimed, or an operator released it.
     */
    public boolean release(String lockId) {
        return withConnection(
                (connection, sql) -> {
                    try (PreparedStatement statement = connection.prepareStatement(sql.releaseSql())) {
                        statement.setString(1, lockId);
                        return statement.executeUpdate() == 1;
                    }
                },
                e -> "Could not release lock " + lockId);
    }

    /** The origin's lookup: the latest active lock of a type, by acquisition time then id. */
    public Optional<LockInfo> findLatestActive(String lockType) {
        return inTransaction(em -> em.createQuery(LATEST_ACTIVE, ApiLockEntity.class)
                        .setParameter("type", lockType)
                        .setMaxResults(1)
                        .getResultStream()
                        .findFirst()
                        .map(ApiLockEntity::toInfo),
                "Could not look up the holder of lock type " + lockType);
    }

    /** Runs JPA work in a short read-write transaction of its own. */
    <R> R inTransaction(Function<EntityManager, R> work, String failure) {
        EntityManager em = entityManagerFactory.createEntityManager();
        EntityTransaction transaction = em.getTransaction();
        try {
            transaction.begin();
            R result = work.apply(em);
            transaction.commit();
            return result;
        } catch (ApiLockException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ApiLockException(failure + ": " + rootMessage(e), e);
        } finally {
            if (transaction.isActive()) {
                rollbackQuietly(transaction);
            }
            em.close();
        }
    }

    /** Runs JDBC work on the connection of a new EntityManager, with this database's dialect. */
    <R> R withConnection(ConnectionWork<R> work, Function<Exception, String> failure) {
        EntityManager em = entityManagerFactory.createEntityManager();
        try {
            return em.unwrap(Session.class).doReturningWork(connection -> work.run(connection, dialect(connection)));
        } catch (ApiLockException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ApiLockException(failure.apply(e) + ": " + rootMessage(e), e);
        } finally {
            em.close();
        }
    }

    private LockSql dialect(Connection connection) throws SQLException {
        LockSql chosen = sql;
        if (chosen == null) {
            chosen = LockSql.forConnection(connection);
            sql = chosen;
            log.debug("apilock uses the {} dialect", chosen.name());
        }
        return chosen;
    }

    private static void rollbackQuietly(EntityTransaction transaction) {
        try {
            transaction.rollback();
        } catch (RuntimeException e) {
            log.debug("Rollback failed after an earlier failure", e);
        }
    }

    /**
     * The driver's own words, not the wrappers around them: the first SQLException in the chain
     * ("Connection to 127.0.0.1:5432 refused"), else the innermost cause.
     */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            if (t instanceof SQLException) {
                break;
            }
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }

    @FunctionalInterface
    interface ConnectionWork<R> {
        R run(Connection connection, LockSql sql) throws SQLException;
    }
}

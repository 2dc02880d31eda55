package dev.apilock.store;

import dev.apilock.ApiLockException;
import dev.apilock.ApiLockSetupException;
import dev.apilock.LockInfo;
import dev.apilock.LockInfo.ReleaseReason;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.hibernate.StatelessSession;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes {@code api_locks}. Every operation runs in a short transaction of its own on a
 * connection of its own, never in the caller's, whatever the host ({@link OwnTransactions}): a lock
 * that became visible only when the caller commits, or that the caller's rollback undid, would be no
 * lock. Thread-safe.
 *
 * <p>Writes go through the native statements of {@link LockSql}, so that an acquisition costs one
 * round trip on PostgreSQL; reads use JPQL, in a stateless session on apilock's own connection.
 * Failures of the database come out as {@link ApiLockException} naming the lock and the cause.
 */
public final class ApiLockRepository {

    private static final Logger log = LoggerFactory.getLogger(ApiLockRepository.class);

    private static final String LATEST_ACTIVE = """
            select l from ApiLockEntity l
             where l.lockType = :type and l.released = false and l.expiresAt > %s
             order by l.acquiredAt desc, l.id desc""";

    private static final int WRITE_ATTEMPTS = 3;

    private final SessionFactoryImplementor sessionFactory;
    private final OwnTransactions transactions;
    private final CallerTransactions callerTransactions;

    /** Chosen from the first connection that works; not cached if that fails. */
    private volatile LockSql sql;

    /**
     * @throws ApiLockSetupException the factory is not Hibernate's, or its persistence unit does not
     *                               manage {@link ApiLockEntity}; the message names the fix
     */
    public ApiLockRepository(EntityManagerFactory entityManagerFactory) {
        Objects.requireNonNull(entityManagerFactory, "entityManagerFactory");
        this.sessionFactory = hibernate(entityManagerFactory);
        requireEntity(sessionFactory);
        this.transactions = OwnTransactions.of(sessionFactory);
        this.callerTransactions = CallerTransactions.of(transactions.transactionManager());
    }

    private static SessionFactoryImplementor hibernate(EntityManagerFactory entityManagerFactory) {
        try {
            return entityManagerFactory.unwrap(SessionFactoryImplementor.class);
        } catch (PersistenceException | IllegalArgumentException e) {
            throw new ApiLockSetupException("apilock needs Hibernate ORM 7 as the persistence provider; "
                    + entityManagerFactory.getClass().getName() + " is not Hibernate's: " + e.getMessage(), e);
        }
    }

    private static void requireEntity(SessionFactoryImplementor sessionFactory) {
        try {
            sessionFactory.getMetamodel().entity(ApiLockEntity.class);
        } catch (IllegalArgumentException e) {
            String unit = sessionFactory.getName() == null ? "" : " '" + sessionFactory.getName() + "'";
            throw new ApiLockSetupException("The persistence unit" + unit + " does not manage "
                    + ApiLockEntity.class.getName() + ": add it to the unit (persistence.xml: <class>"
                    + ApiLockEntity.class.getName() + "</class>; Spring Boot: @EntityScan(basePackageClasses ="
                    + " {YourEntity.class, ApiLockEntity.class}); Quarkus: keep dev.apilock.store in"
                    + " quarkus.hibernate-orm.packages if you set it), or give apilock a unit of its own with"
                    + " ApiLockPersistence.createEntityManagerFactory(dataSource)");
        }
    }

    /** The caller's transactions that locks taken through this repository can wait for. */
    public CallerTransactions callerTransactions() {
        return callerTransactions;
    }

    /**
     * Tries once to take the lock: reclaims an expired holder of the type, inserts the lock if
     * the type is free and checks that it is the latest active lock of its type.
     *
     * <p>If the connection breaks once the statements are on their way, the caller cannot know
     * whether the insert committed; the row, if any, is then released at once (best effort) rather
     * than left to block the type until it expires.
     */
    public AcquireAttempt tryAcquire(NewLock lock) {
        AtomicBoolean sent = new AtomicBoolean();
        try {
            return withConnection(
                    (connection, sql) -> {
                        sent.set(true);
                        return sql.acquire(connection, lock);
                    },
                    e -> "Could not acquire lock " + lock.lockId() + " of type " + lock.lockType());
        } catch (LockInvariantException e) {
            releaseInDoubt(lock, e);
            throw e;
        } catch (ApiLockException e) {
            if (sent.get()) {
                releaseInDoubt(lock, e);
            }
            throw e;
        }
    }

    private void releaseInDoubt(NewLock lock, ApiLockException failure) {
        try {
            if (release(lock.lockType(), lock.lockId())) {
                log.warn("Lock {} of type {} had been acquired although its acquisition failed; released it",
                        lock.lockId(), lock.lockType());
            }
        } catch (ApiLockException e) {
            failure.addSuppressed(e);
            log.debug("Lock {} of type {}: release after a failed acquisition failed too: {}",
                    lock.lockId(), lock.lockType(), e.getMessage());
        }
    }

    /**
     * Marks the lock released: its holder row and its history row. Returns false if it no longer
     * held its type: it expired and was reclaimed, or an operator released it. A deadlock victim is
     * retried, and so is a release that met a broken connection (a pool may hand out connections the
     * database dropped, e.g. after a restart or a killed backend), on a fresh one.
     */
    public boolean release(String lockType, String lockId) {
        return retryIfConnectionBroke(lockId, (connection, sql) -> retryIfTransient(sql, lockId,
                () -> sql.release(connection, lockType, lockId, ReleaseReason.RELEASED)),
                "Could not release lock " + lockId);
    }

    /**
     * An operator's release: marks the lock released with reason {@code FORCED}. False if it was
     * already released or is unknown. Retried like {@link #release}.
     */
    public boolean forceRelease(String lockId) {
        return retryIfConnectionBroke(lockId, (connection, sql) -> retryIfTransient(sql, lockId, () -> {
            String lockType = sql.lockTypeOf(connection, lockId);
            return lockType != null && sql.release(connection, lockType, lockId, ReleaseReason.FORCED);
        }), "Could not release lock " + lockId);
    }

    /**
     * Pushes the lock's expiry to {@code seconds} from now by the database clock, if it is still
     * held: unreleased and unexpired. Empty otherwise; a lost lock is never revived. Retried like
     * {@link #release}.
     */
    public Optional<Lease> extend(String lockType, String lockId, long seconds) {
        return retryIfConnectionBroke(lockId,
                (connection, sql) -> retryIfTransient(sql, lockId, () -> sql.extend(connection, lockType, lockId, seconds)),
                "Could not extend lock " + lockId);
    }

    /**
     * Runs an idempotent single-row write, again on another connection if it failed on one that
     * turned out broken: a few times, as each dead pooled connection fails fast. A failure to get
     * a connection at all (the database is unreachable) is not retried.
     */
    private <R> R retryIfConnectionBroke(String lockId, ConnectionWork<R> write, String failure) {
        ApiLockException previous = null;
        for (int attempt = 1; ; attempt++) {
            AtomicBoolean connected = new AtomicBoolean();
            try {
                return withConnection((connection, sql) -> {
                    connected.set(true);
                    return write.run(connection, sql);
                }, e -> failure);
            } catch (ApiLockException e) {
                if (previous != null) {
                    e.addSuppressed(previous);
                }
                if (!connected.get() || !connectionBroke(e) || attempt == WRITE_ATTEMPTS) {
                    throw e;
                }
                log.debug("Write to lock {} met a broken connection, trying another: {}", lockId, e.getMessage());
                previous = e;
            }
        }
    }

    /**
     * SQLSTATE class 08 (connection exception), PostgreSQL's 57P01-57P03 (the server shut down
     * or killed the backend) or H2's 90067 (connection broken).
     */
    static boolean connectionBroke(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sqlException && sqlException.getSQLState() != null) {
                String state = sqlException.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P0") || state.equals("90067")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The origin's lookup: the latest active lock of a type, by acquisition time then id. */
    public Optional<LockInfo> findLatestActive(String lockType) {
        return inSession((session, sql) -> session.createQuery(LATEST_ACTIVE.formatted(sql.jpqlNow()), ApiLockEntity.class)
                        .setParameter("type", lockType)
                        .setMaxResults(1)
                        .getResultList()
                        .stream()
                        .findFirst()
                        .map(ApiLockEntity::toInfo),
                "Could not look up the holder of lock type " + lockType);
    }

    /**
     * Runs JPQL work in a stateless session on apilock's own connection, in auto-commit mode: each
     * query reads committed data, whatever transaction the caller has open.
     */
    <R> R inSession(SessionWork<R> work, String failure) {
        return withConnection((connection, sql) -> {
            try (StatelessSession session = sessionFactory.openStatelessSession(connection)) {
                return work.run(session, sql);
            }
        }, e -> failure);
    }

    /**
     * Runs JDBC work on apilock's own connection ({@link OwnTransactions}), with this database's
     * dialect. The connection is in auto-commit mode; work that opens a transaction ends it.
     */
    <R> R withConnection(ConnectionWork<R> work, Function<Exception, String> failure) {
        try {
            return transactions.run(connection -> work.run(connection, dialect(connection)));
        } catch (ApiLockException e) {
            throw e;
        } catch (ConnectionUnavailableException e) {
            throw new ApiLockException(failure.apply(e) + ": " + e.getMessage(), e);
        } catch (SQLException | RuntimeException e) {
            throw new ApiLockException(failure.apply(e) + ": " + rootMessage(e), e);
        }
    }

    /** A single-row write that loses a deadlock is simply run again, a few times. */
    private static <R> R retryIfTransient(LockSql sql, String lockId, SqlCall<R> call) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (SQLException e) {
                if (attempt == WRITE_ATTEMPTS || !sql.isTransient(e)) {
                    throw e;
                }
                log.debug("Write to lock {} was a deadlock victim, retrying", lockId);
            }
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

    /**
     * The driver's own words, not the wrappers around them: the first SQLException in the chain,
     * else the innermost cause. A pool's SQLException ("Connection is not available, request
     * timed out") wraps the driver's, which says why ("Connection to 127.0.0.1:5432 refused"):
     * the last SQLException of the chain is then appended.
     */
    static String rootMessage(Throwable e) {
        Throwable first = null;
        Throwable last = null;
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            if (t instanceof SQLException) {
                first = first == null ? t : first;
                last = t;
            }
        }
        if (first == null) {
            return messageOf(root);
        }
        String message = messageOf(first);
        String cause = messageOf(last);
        return last == first || message.contains(cause) ? message : message + "; caused by: " + cause;
    }

    private static String messageOf(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @FunctionalInterface
    private interface SqlCall<R> {
        R run() throws SQLException;
    }

    @FunctionalInterface
    interface ConnectionWork<R> {
        R run(Connection connection, LockSql sql) throws SQLException;
    }

    @FunctionalInterface
    interface SessionWork<R> {
        R run(StatelessSession session, LockSql sql) throws SQLException;
    }
}

package dev.apilock.store;

import dev.apilock.ApiLockException;
import dev.apilock.ApiLockSetupException;
import dev.apilock.LockInfo;
import dev.apilock.LockInfo.ReleaseReason;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
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

    /** The bound of operations that belong to no lock: reads and an operator's writes. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Duration defaultTimeout;
    private final SessionFactoryImplementor sessionFactory;
    private final OwnTransactions transactions;
    private final CallerTransactions callerTransactions;

    /** Chosen from the first connection that works; not cached if that fails. */
    private volatile LockSql sql;

    /**
     * Set once the first connection shows a driver that cannot bound its own waits (H2 over the
     * network): every operation then runs on a thread of its own, which the caller waits for only
     * until its deadline, however long the pool or the driver would block.
     */
    private volatile boolean guarded;

    /**
     * @throws ApiLockSetupException the factory is not Hibernate's, or its persistence unit does not
     *                               manage {@link ApiLockEntity}; the message names the fix
     */
    public ApiLockRepository(EntityManagerFactory entityManagerFactory) {
        this(entityManagerFactory, DEFAULT_TIMEOUT);
    }

    /**
     * @param defaultTimeout the bound of the operations called without a deadline of their own
     */
    public ApiLockRepository(EntityManagerFactory entityManagerFactory, Duration defaultTimeout) {
        Objects.requireNonNull(entityManagerFactory, "entityManagerFactory");
        this.defaultTimeout = Objects.requireNonNull(defaultTimeout, "defaultTimeout");
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
        return tryAcquire(lock, Deadline.after(defaultTimeout));
    }

    /**
     * As {@link #tryAcquire(NewLock)}, returning by {@code deadline}: the statements' network
     * waits are bounded by what is left of it, and so is the release of a lock in doubt.
     */
    public AcquireAttempt tryAcquire(NewLock lock, Deadline deadline) {
        AtomicBoolean sent = new AtomicBoolean();
        try {
            return withConnection(
                    (connection, sql) -> {
                        sent.set(true);
                        return sql.acquire(connection, lock);
                    },
                    e -> "Could not acquire lock " + lock.lockId() + " of type " + lock.lockType(), deadline,
                    late -> {
                        if (late.acquired() && release(lock.lockType(), lock.lockId())) {
                            log.warn("Lock {} of type {} was acquired after its caller had given up on it;"
                                    + " released it", lock.lockId(), lock.lockType());
                        }
                    });
        } catch (LockInvariantException e) {
            releaseInDoubt(lock, e, deadline);
            throw e;
        } catch (ApiLockException e) {
            if (sent.get()) {
                releaseInDoubt(lock, e, deadline);
            }
            throw e;
        }
    }

    /** Nothing is tried once the deadline has passed: a lock left behind then expires by itself. */
    private void releaseInDoubt(NewLock lock, ApiLockException failure, Deadline deadline) {
        if (deadline.passed()) {
            return;
        }
        try {
            if (release(lock.lockType(), lock.lockId(), deadline)) {
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
        return release(lockType, lockId, Deadline.after(defaultTimeout));
    }

    /** As {@link #release(String, String)}, returning by {@code deadline}, retries included. */
    public boolean release(String lockType, String lockId, Deadline deadline) {
        return retryIfConnectionBroke(lockId, (connection, sql) -> retryIfTransient(sql, lockId,
                () -> sql.release(connection, lockType, lockId, ReleaseReason.RELEASED)),
                "Could not release lock " + lockId, deadline);
    }

    /**
     * An operator's release: marks the lock released with reason {@code FORCED}. False if it was
     * already released or is unknown. Retried like {@link #release}.
     */
    public boolean forceRelease(String lockId) {
        return forceRelease(lockId, Deadline.after(defaultTimeout));
    }

    /** As {@link #forceRelease(String)}, returning by {@code deadline}. */
    public boolean forceRelease(String lockId, Deadline deadline) {
        return retryIfConnectionBroke(lockId, (connection, sql) -> retryIfTransient(sql, lockId, () -> {
            String lockType = sql.lockTypeOf(connection, lockId);
            return lockType != null && sql.release(connection, lockType, lockId, ReleaseReason.FORCED);
        }), "Could not release lock " + lockId, deadline);
    }

    /**
     * Pushes the lock's expiry to {@code seconds} from now by the database clock, if it is still
     * held: unreleased and unexpired. Empty otherwise; a lost lock is never revived. Retried like
     * {@link #release}.
     */
    public Optional<Lease> extend(String lockType, String lockId, long seconds) {
        return extend(lockType, lockId, seconds, Deadline.after(defaultTimeout));
    }

    /** As {@link #extend(String, String, long)}, returning by {@code deadline}, retries included. */
    public Optional<Lease> extend(String lockType, String lockId, long seconds, Deadline deadline) {
        return retryIfConnectionBroke(lockId,
                (connection, sql) -> retryIfTransient(sql, lockId, () -> sql.extend(connection, lockType, lockId, seconds)),
                "Could not extend lock " + lockId, deadline);
    }

    /**
     * Runs an idempotent single-row write, again on another connection if it failed on one that
     * turned out broken: a few times, as each dead pooled connection fails fast. A failure to get
     * a connection at all (the database is unreachable) is not retried.
     */
    private <R> R retryIfConnectionBroke(String lockId, ConnectionWork<R> write, String failure, Deadline deadline) {
        ApiLockException previous = null;
        for (int attempt = 1; ; attempt++) {
            AtomicBoolean connected = new AtomicBoolean();
            try {
                return withConnection((connection, sql) -> {
                    connected.set(true);
                    return write.run(connection, sql);
                }, e -> failure, deadline);
            } catch (ApiLockException e) {
                if (previous != null) {
                    e.addSuppressed(previous);
                }
                if (!connected.get() || !connectionBroke(e) || attempt == WRITE_ATTEMPTS || deadline.passed()) {
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
        }, e -> failure, Deadline.after(defaultTimeout));
    }

    /** As {@link #withConnection(ConnectionWork, Function, Deadline)}, within the default timeout. */
    <R> R withConnection(ConnectionWork<R> work, Function<Exception, String> failure) {
        return withConnection(work, failure, Deadline.after(defaultTimeout));
    }

    /**
     * Runs JDBC work on apilock's own connection ({@link OwnTransactions}), with this database's
     * dialect. The connection is in auto-commit mode; work that opens a transaction ends it. Every
     * wait for the database's answer is bounded by what is left of {@code deadline} (the driver's
     * network timeout, set for the work and restored after it): a network that drops packets
     * silently fails the work, and breaks the connection, instead of hanging it.
     */
    <R> R withConnection(ConnectionWork<R> work, Function<Exception, String> failure, Deadline deadline) {
        return withConnection(work, failure, deadline, null);
    }

    /**
     * As above; {@code lateResult}, if any, gets the result of guarded work that completed after
     * its caller had given up on it (so that an acquisition nobody knows of can be released).
     */
    <R> R withConnection(ConnectionWork<R> work, Function<Exception, String> failure, Deadline deadline,
                         Consumer<R> lateResult) {
        if (!guarded) {
            return bounded(work, failure, deadline);
        }
        CompletableFuture<R> result = CompletableFuture.supplyAsync(() -> bounded(work, failure, deadline), Guard.THREADS);
        try {
            return result.get(deadline.remainingMillis() + Guard.GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (lateResult != null) {
                result.thenAccept(lateResult);
            }
            throw new ApiLockException(failure.apply(e) + ": no answer from the database within "
                    + seconds(deadline.bound()) + "; the network may be dropping packets, and this driver cannot"
                    + " time out its reads: the operation was left to finish on its own", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ApiLockException(failure.apply(e) + ": " + rootMessage(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiLockException(failure.apply(e) + ": interrupted while waiting for the database", e);
        }
    }

    private <R> R bounded(ConnectionWork<R> work, Function<Exception, String> failure, Deadline deadline) {
        try {
            return transactions.run(connection -> {
                LockSql sql = dialect(connection);
                long millis = deadline.remainingMillis();
                if (millis == 0) {
                    throw new SQLTimeoutException("the operation's time ran out before the database was asked");
                }
                NetworkTimeout timeout = sql.boundNetwork(connection, millis);
                try {
                    return work.run(connection, sql);
                } finally {
                    timeout.restore();
                }
            });
        } catch (ApiLockException e) {
            throw e;
        } catch (ConnectionUnavailableException e) {
            throw new ApiLockException(failure.apply(e) + ": " + e.getMessage(), e);
        } catch (SQLException | RuntimeException e) {
            if (timedOut(e) || deadline.passed()) {
                throw new ApiLockException(failure.apply(e) + ": no answer from the database within "
                        + seconds(deadline.bound()) + " (" + rootMessage(e) + "); the network may be dropping"
                        + " packets, the connection was given up", e);
            }
            throw new ApiLockException(failure.apply(e) + ": " + rootMessage(e), e);
        }
    }

    /** A read that timed out: the driver's socket timeout, or its own query timeout. */
    static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException || t instanceof SQLTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
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
            guarded = !chosen.boundsItsOwnWaits(connection);
            sql = chosen;
            log.debug("apilock uses the {} dialect{}", chosen.name(),
                    guarded ? ", on threads of its own: the driver cannot time out its reads" : "");
        }
        return chosen;
    }

    /** The threads of guarded operations: daemons, created as needed. */
    private static final class Guard {
        /** How long past its deadline a caller waits for guarded work to fail by itself, with its own message. */
        static final long GRACE_MILLIS = 250;
        static final ExecutorService THREADS = Executors.newCachedThreadPool(new ThreadFactory() {
            private final AtomicInteger count = new AtomicInteger();

            @Override
            public Thread newThread(Runnable task) {
                Thread thread = new Thread(task, "apilock-guarded-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            }
        });
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

package dev.apilock.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apilock.ApiLockAcquireException;
import dev.apilock.ApiLocked;
import dev.apilock.CurrentLock;
import dev.apilock.LockHandle;
import dev.apilock.LockListener;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import dev.apilock.TestDatabase;
import dev.apilock.host.Host;
import dev.apilock.host.HostDocument;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The interceptor with JTA {@code @Transactional}, in Weld with Narayana's interceptors, on a JTA
 * persistence unit (Agroal enlisting in Narayana, as Quarkus runs it): the lock is taken before the
 * method's transaction begins and released after it has committed or rolled back, whichever order
 * the annotations are written in and with {@code @Transactional} on the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiLockedTransactionContract {

    static final String TYPE = "jakarta_docs";
    private static final AtomicLong IDS = new AtomicLong();

    private TestDatabase database;
    private Host host;
    private LockTemplate otherInstance;
    private final Events events = new Events();
    private Cdi cdi;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void startHost() {
        database = TestDatabase.create(kind(), getClass().getSimpleName());
        host = Host.start(Host.Mode.JTA, database, 4, Duration.ofSeconds(10));
        otherInstance = new LockTemplate(database.entityManagerFactory());
    }

    @AfterAll
    void stopHost() {
        if (host != null) {
            host.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void startContainer() {
        events.clear();
        cdi = Cdi.builder()
                .property("apilock.types." + TYPE + ".expires", "30s")
                .bean(EntityManagerFactory.class, host.unit())
                .bean(LockListener.class, events)
                .bean(Events.class, events)
                .beans(LockedThenTransactional.class, TransactionalThenLocked.class, TransactionalClass.class,
                        WaitingWriter.class, TransactionsBegun.class)
                .start();
    }

    @AfterEach
    void stopContainer() {
        if (cdi != null) {
            cdi.close();
        }
        assertThat(Host.jtaTransactionOnThisThread()).as("a JTA transaction left on the thread").isNull();
    }

    /** One of the three ways of writing it; each calls {@link #write}. */
    interface Writer {
        long write(long document, boolean fail);
    }

    @ParameterizedTest
    @ValueSource(classes = {LockedThenTransactional.class, TransactionalThenLocked.class, TransactionalClass.class})
    void theLockIsTakenBeforeTheTransactionBeginsAndReleasedAfterItCommits(Class<? extends Writer> writer) {
        long document = IDS.incrementAndGet();

        long revision = cdi.get(writer).write(document, false);

        assertThat(revision).isEqualTo(1);
        assertThat(events.list()).containsExactly("acquired " + TYPE, "transaction begun",
                "method: transaction active, lock covers it false", "committed", "released " + TYPE);
        assertThat(committedRevision(document)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(classes = {LockedThenTransactional.class, TransactionalThenLocked.class, TransactionalClass.class})
    void aFailedMethodRollsBackBeforeTheLockIsReleasedAndItsExceptionPropagatesUnchanged(
            Class<? extends Writer> writer) {
        long document = IDS.incrementAndGet();

        assertThatThrownBy(() -> cdi.get(writer).write(document, true))
                .isExactlyInstanceOf(IllegalStateException.class).hasMessage("validation failed");

        assertThat(events.list()).containsExactly("acquired " + TYPE, "transaction begun",
                "method: transaction active, lock covers it false", "rolled back", "released " + TYPE);
        assertThat(committedRevision(document)).isZero();
    }

    @ParameterizedTest
    @ValueSource(classes = {LockedThenTransactional.class, TransactionalThenLocked.class, TransactionalClass.class})
    void aRefusedCallBeginsNoTransactionAndDoesNotRunTheMethod(Class<? extends Writer> writer) {
        long document = IDS.incrementAndGet();
        LockType type = LockType.of(TYPE, Duration.ofSeconds(30));

        otherInstance.execute(type, "batch-17", "nightly", lock -> {
            assertThatThrownBy(() -> cdi.get(writer).write(document, false))
                    .isInstanceOfSatisfying(ApiLockAcquireException.class, e -> {
                        assertThat(e.status()).isEqualTo(409);
                        assertThat(e.holder()).hasValueSatisfying(holder -> {
                            assertThat(holder.user()).isEqualTo("nightly");
                            assertThat(holder.referenceId()).isEqualTo("batch-17");
                        });
                    });
            return null;
        });

        assertThat(events.list()).isEmpty();
        assertThat(committedRevision(document)).isZero();
    }

    @Test
    void calledInsideTheCallersTransactionTheLockIsReleasedOnlyAfterThatTransactionCommits() throws Exception {
        long document = IDS.incrementAndGet();
        TransactionManager transactions = com.arjuna.ats.jta.TransactionManager.transactionManager();

        transactions.begin();
        try {
            cdi.get(LockedThenTransactional.class).write(document, false);
            assertThatThrownBy(() -> otherInstance.execute(LockType.of(TYPE, Duration.ofSeconds(30)), "probe", "probe",
                    lock -> null)).as("the lock is still held until the caller commits")
                    .isInstanceOf(ApiLockAcquireException.class);
            assertThat(committedRevision(document)).isZero();
        } finally {
            transactions.commit();
        }

        // The caller's transaction: the method joined it (REQUIRED), so none was begun for it.
        assertThat(events.list()).containsExactly("acquired " + TYPE,
                "method: transaction active, lock covers it true", "committed", "released " + TYPE);
        assertThat(committedRevision(document)).isEqualTo(1);
    }

    @Test
    void concurrentWaitingWritersLoseNoUpdate() throws Exception {
        long document = IDS.incrementAndGet();
        WaitingWriter writer = cdi.get(WaitingWriter.class);
        int threads = 4;
        int writesEach = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                running.add(pool.submit(() -> {
                    for (int n = 0; n < writesEach; n++) {
                        writer.write(document);
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(committedRevision(document)).as("writes lost").isEqualTo(threads * writesEach);
    }

    @Test
    void theMethodSeesItsLockAndFencingToken() {
        long document = IDS.incrementAndGet();
        long first = cdi.get(TransactionalThenLocked.class).write(document, false);
        long second = cdi.get(TransactionalThenLocked.class).write(document, false);

        assertThat(second).isEqualTo(first + 1);
        assertThat(tokenOf(document)).isPositive();
        assertThatThrownBy(CurrentLock::handle).isInstanceOf(IllegalStateException.class);
    }

    /** The document's revision as committed: read on a connection of its own, outside any transaction. */
    private long committedRevision(long document) {
        return column(document, "revision");
    }

    private long tokenOf(long document) {
        return column(document, "written_with_token");
    }

    private long column(long document, String column) {
        try (Connection connection = database.connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT " + column + " FROM host_documents WHERE id = ?")) {
            statement.setLong(1, document);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a revision of {@code document}; what the three writers share. */
    static long write(EntityManagerFactory unit, TransactionSynchronizationRegistry registry, Events events,
                      long document, boolean fail) {
        LockHandle lock = CurrentLock.handle();
        events.add("method: transaction " + (registry.getTransactionStatus() == Status.STATUS_ACTIVE ? "active" : "none")
                + ", lock covers it " + lock.coversCallerTransaction());
        registry.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                events.add(status == Status.STATUS_COMMITTED ? "committed" : "rolled back");
            }
        });
        EntityManager em = unit.createEntityManager();
        HostDocument written = em.find(HostDocument.class, document);
        if (written == null) {
            written = new HostDocument(document, "new", 0);
            em.persist(written);
        }
        written.revise("revision by " + lock.lockId(), lock.fencingToken());
        em.flush();
        if (fail) {
            throw new IllegalStateException("validation failed");
        }
        return written.getRevision();
    }

    /** What the writers below share; they differ only in where their annotations sit. */
    abstract static class Injected implements Writer {
        @Inject
        EntityManagerFactory unit;
        @Inject
        TransactionSynchronizationRegistry registry;
        @Inject
        Events events;

        long writeDocument(long document, boolean fail) {
            return ApiLockedTransactionContract.write(unit, registry, events, document, fail);
        }
    }

    @ApplicationScoped
    public static class LockedThenTransactional extends Injected {
        @Override
        @ApiLocked(TYPE)
        @Transactional
        public long write(long document, boolean fail) {
            return writeDocument(document, fail);
        }
    }

    @ApplicationScoped
    public static class TransactionalThenLocked extends Injected {
        @Override
        @Transactional
        @ApiLocked(TYPE)
        public long write(long document, boolean fail) {
            return writeDocument(document, fail);
        }
    }

    @ApplicationScoped
    @Transactional
    public static class TransactionalClass extends Injected {
        @Override
        @ApiLocked(TYPE)
        public long write(long document, boolean fail) {
            return writeDocument(document, fail);
        }
    }

    /** A read-modify-write that waits for the lock, with a pause between its write and its commit. */
    @ApplicationScoped
    public static class WaitingWriter {
        @Inject
        EntityManagerFactory unit;

        @Transactional
        @ApiLocked(value = TYPE, maxWait = "60s")
        public void write(long document) throws InterruptedException {
            EntityManager em = unit.createEntityManager();
            HostDocument written = em.find(HostDocument.class, document);
            if (written == null) {
                written = new HostDocument(document, "new", 0);
                em.persist(written);
            }
            written.revise("next", CurrentLock.handle().fencingToken());
            em.flush();
            Thread.sleep(5); // a lock released before the commit lets the next writer read this revision's predecessor
        }
    }

    /** Narayana's CDI transaction manager starts a transaction scope for every transaction it begins. */
    @ApplicationScoped
    public static class TransactionsBegun {
        @Inject
        Events events;

        void begun(@Observes @Initialized(TransactionScoped.class) Object transaction) {
            events.add("transaction begun");
        }
    }
}

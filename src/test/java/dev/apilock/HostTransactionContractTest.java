package dev.apilock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.apilock.LockHandle.ReleasedWhen;
import dev.apilock.host.Host;
import dev.apilock.host.Host.CallerTransaction;
import dev.apilock.host.Host.Mode;
import dev.apilock.host.HostDocument;
import dev.apilock.host.TrackedDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The lock in the host applications it is built for, each a real stack ({@link Host}): plain JPA
 * with auto-commit on and off, Spring's JpaTransactionManager with auto-commit on and off, JTA with
 * Narayana and Agroal, and the last two with apilock on a pool of its own. Callers work inside
 * transactions of their own, as applications do.
 */
abstract class HostTransactionContractTest extends DatabaseTest {

    static final int CONCURRENT_CALLERS = 4;

    /** The contract essentials, run once per host mode by the nested classes below. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract class Essentials {

        private final Mode mode;
        Host host;
        LockTemplate locks;
        long documentIds;

        Essentials(Mode mode) {
            this.mode = mode;
        }

        Mode mode() {
            return mode;
        }

        @BeforeAll
        void startHost() {
            // Sized by the rule for a shared pool: every caller inside a transaction holds a connection
            // while its lock operation needs another (CONCURRENT_CALLERS of each).
            host = Host.start(mode(), database, 2 * CONCURRENT_CALLERS, Duration.ofSeconds(10));
            locks = host.template();
        }

        @AfterAll
        void stopHost() {
            if (host != null) {
                host.close();
            }
        }

        @BeforeEach
        void forgetConnections() {
            host.hostPool().clear();
            if (host.ownPool() != null) {
                host.ownPool().clear();
            }
        }

        /** Every connection apilock borrowed went back to its pool as it was handed out. */
        @AfterEach
        void connectionsWereGivenBackAsFound() {
            assertThat(Host.jtaTransactionOnThisThread()).as("JTA transaction left on the thread").isNull();
            assertThat(apilocksConnections()).allSatisfy(b -> assertThat(b.returned()).as("connection " + b.sessionId() + " borrowed on "
                            + b.thread()).isEqualTo(b.borrowed()));
        }

        List<TrackedDataSource.Borrow> apilocksConnections() {
            List<TrackedDataSource.Borrow> borrows = new ArrayList<>(host.hostPool().returnedByApilock());
            if (host.ownPool() != null) {
                borrows.addAll(host.ownPool().returnedByApilock());
            }
            return borrows;
        }

        long newDocument() {
            long id = ++documentIds + 1000L * mode().ordinal();
            try (CallerTransaction tx = host.begin()) {
                tx.em().persist(new HostDocument(id, "new", 0));
                tx.commit();
            }
            return id;
        }

        HostDocument document(long id) {
            var em = host.unit().createEntityManager();
            try {
                return em.find(HostDocument.class, id);
            } finally {
                em.close();
            }
        }

        /** The caller's step inside the lock: a read, a change and a flush in the caller's transaction. */
        static long revise(CallerTransaction tx, long id, String title, LockHandle lock) {
            HostDocument document = tx.em().find(HostDocument.class, id);
            document.revise(title, lock.fencingToken());
            tx.em().flush();
            return document.getRevision();
        }

        @Test
        void othersSeeTheLockWhileTheCallbackRunsAndApilockNeverUsesTheCallersConnection() {
            LockType type = newType(MINUTE);
            try (CallerTransaction tx = host.begin()) {
                String callersSession = tx.sessionId();
                host.hostPool().clear();
                if (host.ownPool() != null) {
                    host.ownPool().clear();
                }
                locks.execute(type, "req-1", "alice", lock -> {
                    assertThat(table.count("id = ? AND NOT released", lock.lockId()))
                            .as("committed and visible to another connection").isEqualTo(1);
                    assertThatThrownBy(() -> otherInstance.execute(type, "req-2", "bob", l -> "x"))
                            .isInstanceOf(ApiLockAcquireException.class);
                    assertThat(tx.active()).as("caller's transaction untouched").isTrue();
                    return null;
                });
                assertThat(apilocksConnections()).extracting(TrackedDataSource.Borrow::sessionId)
                        .as("sessions apilock used").isNotEmpty().doesNotContain(callersSession);
                tx.commit();
            }
        }

        @Test
        void theLockIsReleasedOnlyAfterTheCallersTransactionCommits() {
            LockType type = newType(MINUTE);
            long id = newDocument();
            LockHandle handle;
            try (CallerTransaction tx = host.begin()) {
                handle = locks.execute(type, "req-1", "alice", lock -> {
                    revise(tx, id, "under the lock", lock);
                    return lock;
                });
                if (mode().callerVisible()) {
                    assertThat(handle.coversCallerTransaction()).isTrue();
                    assertThat(handle.isHeld()).as("held until the caller commits").isTrue();
                    assertThat(table.count("id = ? AND NOT released", handle.lockId())).isEqualTo(1);
                    assertThat(catchThrowableOfType(ApiLockAcquireException.class,
                            () -> otherInstance.execute(type, "req-2", "bob", l -> "x")).holder())
                            .map(LockInfo::lockId).hasValue(handle.lockId());
                } else {
                    assertThat(handle.coversCallerTransaction()).isFalse();
                    assertThat(handle.releasedWhen()).hasValue(ReleasedWhen.CALLBACK_RETURNED);
                }
                tx.commit();
            }
            assertThat(handle.releasedWhen()).hasValue(mode().callerVisible()
                    ? ReleasedWhen.CALLER_COMMITTED : ReleasedWhen.CALLBACK_RETURNED);
            assertThat(table.count("id = ? AND released AND release_reason = 'RELEASED'", handle.lockId())).isEqualTo(1);
            assertThat(document(id).getRevision()).isEqualTo(1);
            assertFree(type, "req-3");
        }

        @Test
        void callersRollbackNeverRemovesHistoryOrRevivesALock() {
            LockType type = newType(MINUTE);
            long id = newDocument();
            LockHandle handle;
            try (CallerTransaction tx = host.begin()) {
                handle = locks.execute(type, "req-1", "alice", lock -> {
                    revise(tx, id, "rolled back", lock);
                    return lock;
                });
                tx.rollback();
            }
            assertThat(handle.releasedWhen()).hasValue(mode().callerVisible()
                    ? ReleasedWhen.CALLER_ROLLED_BACK : ReleasedWhen.CALLBACK_RETURNED);
            assertThat(table.count("id = ? AND released AND release_reason = 'RELEASED'", handle.lockId()))
                    .as("the lock's history survives the caller's rollback").isEqualTo(1);
            assertThat(document(id).getRevision()).as("the caller's write is undone").isZero();
            assertFree(type, "req-2");
        }

        @Test
        void aCallbackFailureRollsBackTheCallersWritesAndReleasesTheLock() {
            LockType type = newType(MINUTE);
            long id = newDocument();
            IllegalStateException thrown = new IllegalStateException("validation failed");
            try (CallerTransaction tx = host.begin()) {
                assertThatThrownBy(() -> locks.execute(type, "req-1", "alice", lock -> {
                    revise(tx, id, "invalid", lock);
                    throw thrown;
                })).isSameAs(thrown);
                tx.rollback(); // what @Transactional does with the exception
            }
            assertThat(document(id).getRevision()).isZero();
            assertThat(table.count("lock_type = ? AND NOT released", type.name())).isZero();
            assertFree(type, "req-2");
        }

        /**
         * A JTA transaction marked rollback-only can never commit the callback's writes: the lock
         * goes at once. Spring's rollback-only mark is the caller's status object's, invisible to
         * apilock, which then releases after the rollback.
         */
        @Test
        void aTransactionThatCanOnlyRollBackDoesNotKeepTheLock() {
            LockType type = newType(MINUTE);
            long id = newDocument();
            LockHandle handle;
            try (CallerTransaction tx = host.begin()) {
                handle = locks.execute(type, "req-1", "alice", lock -> {
                    revise(tx, id, "doomed", lock);
                    tx.setRollbackOnly();
                    return lock;
                });
                boolean jta = mode() == Mode.JTA || mode() == Mode.JTA_OWN_POOL;
                assertThat(handle.releasedWhen()).as("released before the rollback")
                        .isEqualTo(jta || !mode().callerVisible() ? Optional.of(ReleasedWhen.CALLBACK_RETURNED)
                                : Optional.empty());
                tx.rollback();
            }
            assertThat(handle.releasedWhen()).isPresent();
            assertThat(document(id).getRevision()).isZero();
            assertFree(type, "req-2");
        }

        /** Listeners and the handle tell when the release happened. */
        @Test
        void theReleasedEventSaysWhenTheReleaseHappened() {
            LockType type = newType(MINUTE);
            List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());
            LockTemplate observed = new LockTemplate(host.unitForLocks(), new LockListener() {
                @Override
                public void released(LockHandle lock, Duration heldFor) {
                    heard.add(lock.lockId() + " " + lock.releasedWhen().orElse(null));
                }
            });
            String lockId;
            try (CallerTransaction tx = host.begin()) {
                lockId = observed.execute(type, "req-1", "alice", LockHandle::lockId);
                tx.commit();
            }
            assertThat(heard).containsExactly(lockId + " " + (mode().callerVisible()
                    ? ReleasedWhen.CALLER_COMMITTED : ReleasedWhen.CALLBACK_RETURNED));
        }

        @Test
        void aRefusedCallerWritesNothingAndItsTransactionCanStillCommit() {
            LockType type = newType(MINUTE);
            long id = newDocument();
            otherInstance.execute(type, "req-holder", "bob", held -> {
                List<String> before = table.snapshot();
                try (CallerTransaction tx = host.begin()) {
                    tx.em().find(HostDocument.class, id).revise("beside the lock", 0);
                    assertThatThrownBy(() -> locks.execute(type, "req-1", "alice", lock -> "must not run"))
                            .isInstanceOf(ApiLockAcquireException.class);
                    assertThat(table.snapshot()).as("nothing written by the refusal").isEqualTo(before);
                    assertThat(tx.active()).isTrue();
                    tx.commit();
                }
                return null;
            });
            assertThat(document(id).getRevision()).as("the caller's own transaction committed").isEqualTo(1);
        }

        @Test
        void operatorReleaseInsideARolledBackTransactionStays() {
            LockType type = newType(MINUTE);
            otherInstance.execute(type, "req-holder", "bob", held -> {
                try (CallerTransaction tx = host.begin()) {
                    assertThat(host.admin().release(held.lockId())).isPresent();
                    assertThat(host.admin().active(type.name())).isEmpty();
                    tx.rollback();
                }
                assertThat(table.count("id = ? AND release_reason = 'FORCED'", held.lockId()))
                        .as("committed on its own, not undone with the caller").isEqualTo(1);
                return null;
            });
            String free = locks.execute(type, "req-2", "alice", l -> "free");
            assertThat(free).isEqualTo("free");
        }

        @Test
        void extensionsInsideTheCallersTransactionAreCommittedAtOnce() {
            LockType type = newType(Duration.ofSeconds(5));
            try (CallerTransaction tx = host.begin()) {
                locks.execute(type, "req-1", "alice", lock -> {
                    assertThat(lock.extend(Duration.ofSeconds(120))).isTrue();
                    assertThat(table.count("id = ? AND expires_at > acquired_at + INTERVAL '100' SECOND",
                            lock.lockId())).as("visible to others before the caller commits").isEqualTo(1);
                    return null;
                });
                tx.rollback();
            }
            assertThat(table.count("lock_type = ? AND NOT released", type.name())).isZero();
        }

        @Test
        void anotherExecuteOfTheTypeInTheSameTransactionRunsUnderTheLockAlreadyHeld() {
            LockType type = newType(MINUTE);
            long id = newDocument();
            try (CallerTransaction tx = host.begin()) {
                LockHandle first = locks.execute(type, "req-1", "alice", lock -> {
                    revise(tx, id, "first", lock);
                    return lock;
                });
                if (mode().callerVisible()) {
                    LockHandle second = locks.execute(type, "req-2", "alice", lock -> {
                        revise(tx, id, "second", lock);
                        return lock;
                    });
                    assertThat(second).isSameAs(first);
                    assertThat(table.count("lock_type = ?", type.name())).as("one acquisition").isEqualTo(1);
                    assertThat(catchThrowableOfType(ApiLockAcquireException.class, () -> locks.execute(type,
                            "req-3", "alice", outer -> locks.execute(type, "req-4", "alice", inner -> "nested"))))
                            .hasMessageContaining("not reentrant");
                } else {
                    locks.execute(type, "req-2", "alice", lock -> revise(tx, id, "second", lock));
                    assertThat(table.count("lock_type = ?", type.name())).as("two acquisitions").isEqualTo(2);
                }
                tx.commit();
            }
            assertThat(document(id).getRevision()).isEqualTo(2);
            assertThat(table.count("lock_type = ? AND NOT released", type.name())).isZero();
        }

        /** Past its expiry, the keep-alive alone keeps the lock: while the callback runs, and on until the caller's commit. */
        @Test
        void keepAliveHoldsTheLockUntilItIsReleased() {
            LockType type = newType(Duration.ofSeconds(2)).withKeepAlive();
            try (CallerTransaction tx = host.begin()) {
                LockHandle handle = locks.execute(type, "req-1", "alice", lock -> {
                    if (!mode().callerVisible()) {
                        sleep(3_000);
                        assertThatThrownBy(() -> otherInstance.execute(type, "req-2", "bob", l -> "x"))
                                .isInstanceOf(ApiLockAcquireException.class);
                    }
                    return lock;
                });
                if (mode().callerVisible()) {
                    sleep(3_000);
                    assertThat(handle.isHeld()).isTrue();
                    assertThatThrownBy(() -> otherInstance.execute(type, "req-2", "bob", l -> "x"))
                            .isInstanceOf(ApiLockAcquireException.class);
                }
                tx.commit();
                assertThat(handle.releasedWhen()).hasValue(mode().callerVisible()
                        ? ReleasedWhen.CALLER_COMMITTED : ReleasedWhen.CALLBACK_RETURNED);
            }
            assertThat(table.count("lock_type = ? AND release_reason = 'RELEASED'", type.name())).isEqualTo(1);
        }

        /**
         * The origin's use case: concurrent requests, each a transaction that takes the lock, reads a
         * document, waits a little and writes it back. A release before the commit lets a second
         * request read the old revision and overwrite it; the final revision counts the writes.
         */
        @Test
        void concurrentTransactionalCallersLoseNoUpdate() throws Exception {
            LockType type = newType(MINUTE);
            long id = newDocument();
            int threads = CONCURRENT_CALLERS;
            int writesEach = 5;
            AtomicInteger writes = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String user = "writer-" + t;
                runs.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < writesEach; i++) {
                        if (mode().callerVisible()) {
                            try (CallerTransaction tx = host.begin()) {
                                locks.execute(type, "req-" + i, user, Duration.ofSeconds(30), lock -> {
                                    revise(tx, id, user, lock);
                                    return null;
                                });
                                sleep(5); // the rest of the request, before its commit
                                tx.commit();
                            }
                        } else { // the documented pattern where apilock cannot see the transaction
                            locks.execute(type, "req-" + i, user, Duration.ofSeconds(30), lock -> {
                                try (CallerTransaction tx = host.begin()) {
                                    revise(tx, id, user, lock);
                                    sleep(5);
                                    tx.commit();
                                }
                                return null;
                            });
                        }
                        writes.incrementAndGet();
                    }
                }, pool));
            }
            try {
                CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            } finally {
                pool.shutdownNow();
            }
            assertThat(writes).hasValue(threads * writesEach);
            assertThat(document(id).getRevision()).as("no lost update").isEqualTo(threads * writesEach);
        }

        /** Another instance gets the lock at once. */
        void assertFree(LockType type, String reference) {
            String free = otherInstance.execute(type, reference, "bob", l -> "free");
            assertThat(free).isEqualTo("free");
        }

    }

    @Nested
    class ResourceLocal extends Essentials {
        ResourceLocal() {
            super(Mode.RESOURCE_LOCAL);
        }
    }

    @Nested
    class ResourceLocalAutoCommitOff extends Essentials {
        ResourceLocalAutoCommitOff() {
            super(Mode.RESOURCE_LOCAL_AUTOCOMMIT_OFF);
        }
    }

    @Nested
    class SpringJpaTransactionManager extends Essentials {
        SpringJpaTransactionManager() {
            super(Mode.SPRING);
        }
    }

    @Nested
    class SpringAutoCommitOff extends Essentials {
        SpringAutoCommitOff() {
            super(Mode.SPRING_AUTOCOMMIT_OFF);
        }
    }

    @Nested
    class JtaNarayanaAgroal extends Essentials {
        JtaNarayanaAgroal() {
            super(Mode.JTA);
        }
    }

    @Nested
    class JtaWithApilocksOwnPool extends Essentials {
        JtaWithApilocksOwnPool() {
            super(Mode.JTA_OWN_POOL);
        }
    }

    @Nested
    class SpringWithApilocksOwnPool extends Essentials {
        SpringWithApilocksOwnPool() {
            super(Mode.SPRING_OWN_POOL);
        }
    }

    /**
     * More callers than the host's pool has connections, each holding one inside its transaction
     * while it takes the lock: on a pool of its own apilock never waits for them; on the shared
     * pool the lock operation fails within the pool's timeout and says why in one line.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class PoolStarvation {

        @Test
        void onItsOwnPoolEveryCallerGetsTheLockWhileHoldingAHostConnection() throws Exception {
            for (Mode mode : List.of(Mode.SPRING_OWN_POOL, Mode.JTA_OWN_POOL)) {
                try (Host host = Host.start(mode, database, 2, Duration.ofSeconds(20))) {
                    assertThat(callersHoldingConnections(host, 2, Duration.ofSeconds(30))).as(mode.name())
                            .containsOnly("locked");
                }
            }
        }

        @Test
        void onTheSharedPoolAnExhaustedPoolIsNamedWithinItsTimeout() {
            for (Mode mode : List.of(Mode.SPRING, Mode.JTA)) {
                try (Host host = Host.start(mode, database, 1, Duration.ofMillis(500))) {
                    LockType type = newType(MINUTE);
                    long start = System.nanoTime();
                    try (CallerTransaction tx = host.begin()) {
                        tx.sessionId(); // the caller holds the pool's only connection
                        ApiLockException failure = catchThrowableOfType(ApiLockException.class,
                                () -> host.template().execute(type, "req", "alice", lock -> "x"));
                        assertThat(failure).as(mode.name()).isNotNull().isNotInstanceOf(ApiLockAcquireException.class);
                        assertThat(failure.getMessage()).as(mode.name())
                                .contains("Could not acquire lock").contains("the pool is exhausted")
                                .contains("ApiLockPersistence").doesNotContain("\n");
                        tx.rollback();
                    }
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
                    assertThat(table.count("lock_type = ?", type.name())).isZero();
                }
            }
        }

        /** {@code callers} threads, each in a transaction that holds a host connection, take one lock type in turn. */
        private List<String> callersHoldingConnections(Host host, int poolSize, Duration wait) throws Exception {
            LockType type = newType(MINUTE);
            int callers = poolSize * 3;
            ExecutorService threads = Executors.newFixedThreadPool(callers);
            List<CompletableFuture<String>> outcomes = new ArrayList<>();
            try {
                for (int c = 0; c < callers; c++) {
                    String user = "caller-" + c;
                    outcomes.add(CompletableFuture.supplyAsync(() -> {
                        try (CallerTransaction tx = host.begin()) {
                            tx.sessionId(); // holds a host connection from here to its commit
                            String outcome = host.template().execute(type, "req", user, wait, lock -> {
                                sleep(20);
                                return "locked";
                            });
                            tx.commit();
                            return outcome;
                        } catch (RuntimeException e) {
                            return e.toString();
                        }
                    }, threads));
                }
                List<String> results = new ArrayList<>();
                for (CompletableFuture<String> outcome : outcomes) {
                    results.add(outcome.get(2, TimeUnit.MINUTES));
                }
                return results;
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void aPersistenceUnitWithoutTheEntityIsRefusedWhenTheTemplateIsCreated() {
        var pool = database.dataSource(1);
        var unit = new org.hibernate.jpa.HibernatePersistenceConfiguration("without-apilock")
                .managedClass(HostDocument.class)
                .property(org.hibernate.cfg.JdbcSettings.JAKARTA_NON_JTA_DATASOURCE, pool)
                .createEntityManagerFactory();
        try {
            assertThatThrownBy(() -> new LockTemplate(unit)).isInstanceOf(ApiLockSetupException.class)
                    .hasMessageContaining("does not manage dev.apilock.store.ApiLockEntity")
                    .hasMessageContaining("@EntityScan");
            assertThatThrownBy(() -> new LockAdmin(unit)).isInstanceOf(ApiLockSetupException.class)
                    .hasMessageContaining("does not manage dev.apilock.store.ApiLockEntity");
        } finally {
            unit.close();
        }
    }
}

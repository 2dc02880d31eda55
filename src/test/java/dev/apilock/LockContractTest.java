package dev.apilock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.f4b6a3.ulid.UlidCreator;
import com.zaxxer.hikari.HikariDataSource;
import dev.apilock.host.HostApplication;
import dev.apilock.host.HostDocument;
import dev.apilock.store.AcquireAttempt;
import dev.apilock.store.ApiLockRepository;
import dev.apilock.store.NewLock;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lock's contract, run against a real database by each subclass. Two templates on separate
 * factories and pools stand for two application instances.
 */
abstract class LockContractTest extends DatabaseTest {

    @Nested
    class AcquireAndRelease {

        @Test
        void callbackRunsUnderTheLockAndItsResultIsReturned() {
            LockType type = newType(MINUTE);
            String result = template.execute(type, "req-1", "alice", lock -> {
                assertThat(table.count("id = ? AND NOT released", lock.lockId())).isEqualTo(1);
                return "done";
            });
            assertThat(result).isEqualTo("done");
        }

        @Test
        void lockIsReleasedAfterTheCallbackAndTheRowKeptAsHistory() {
            LockType type = newType(MINUTE);
            LockHandle handle = template.execute(type, "req-1", "alice", lock -> lock);
            assertThat(table.count("id = ?", handle.lockId())).isEqualTo(1);
            assertThat(table.count("id = ? AND released AND release_reason = 'RELEASED'"
                    + " AND released_at IS NOT NULL", handle.lockId())).isEqualTo(1);
            String next = template.execute(type, "req-2", "bob", LockHandle::lockId);
            assertThat(next).isNotEqualTo(handle.lockId());
        }

        @Test
        void handleCarriesTheRowsIdTokenAndDatabaseExpiry() {
            LockType type = newType(Duration.ofSeconds(90));
            Instant before = databaseNow();
            LockHandle handle = template.execute(type, "req-1", "alice", lock -> lock);
            assertThat(handle.lockId()).hasSize(26).matches("[0-9A-HJKMNP-TV-Z]{26}");
            assertThat(handle.type()).isEqualTo(type);
            assertThat(handle.fencingToken()).isPositive();
            assertThat(handle.expiresAt()).isBetween(before.plusSeconds(89), databaseNow().plusSeconds(90));
            assertThat(table.queryLong("SELECT fencing_token FROM api_locks WHERE id = ?", handle.lockId()))
                    .isEqualTo(handle.fencingToken());
            assertThat(table.queryLong("SELECT expires FROM api_locks WHERE id = ?", handle.lockId())).isEqualTo(90);
        }

        @Test
        void rowRecordsUserAndReference() {
            LockType type = newType(MINUTE);
            LockHandle handle = template.execute(type, "req-42", "alice", lock -> lock);
            assertThat(table.count("id = ? AND locked_by = 'alice' AND reference_id = 'req-42' AND lock_type = ?",
                    handle.lockId(), type.name())).isEqualTo(1);
        }

        @Test
        void lockTypesAreIndependent() {
            LockType first = newType(MINUTE);
            LockType second = newType(MINUTE);
            String nested = template.execute(first, "req-1", "alice",
                    outer -> otherInstance.execute(second, "req-2", "bob", inner -> "both held"));
            assertThat(nested).isEqualTo("both held");
        }

        @Test
        void executeWithoutResultRunsTheAction() {
            LockType type = newType(MINUTE);
            List<String> seen = new ArrayList<>();
            template.executeWithoutResult(type, "req-1", "alice", lock -> seen.add(lock.lockId()));
            assertThat(seen).hasSize(1);
        }
    }

    @Nested
    class Blocking {

        @Test
        void secondAcquireOfSameTypeIsBlockedWith409() {
            LockType type = newType(MINUTE);
            ApiLockAcquireException refusal = template.execute(type, "req-holder", "alice", held ->
                    catchThrowableOfType(ApiLockAcquireException.class,
                            () -> otherInstance.execute(type, "req-other", "bob", lock -> "must not run")));

            assertThat(refusal.status()).isEqualTo(409);
            assertThat(refusal.title()).isEqualTo("Blocked by another process");
            assertThat(refusal.retry()).isFalse();
            assertThat(refusal.lockType()).isEqualTo(type);
            assertThat(refusal.description()).isEqualTo("Another process is currently blocking this request"
                    + " with a lock for " + type.name() + ". Lock expires in not more than 60 seconds");
            assertThat(refusal.holder()).hasValueSatisfying(holder -> {
                assertThat(holder.user()).isEqualTo("alice");
                assertThat(holder.referenceId()).isEqualTo("req-holder");
                assertThat(holder.lockType()).isEqualTo(type.name());
                assertThat(holder.released()).isFalse();
            });
            assertThat(refusal.timeLeft()).hasValueSatisfying(left ->
                    assertThat(left).isPositive().isLessThanOrEqualTo(MINUTE));
            assertThat(refusal.getMessage())
                    .startsWith(refusal.description())
                    .contains("Held by alice for reference req-holder (lock " + refusal.holder().get().lockId())
                    .containsPattern("expires in \\d+\\.\\d s");
        }

        @Test
        void blockedAttemptWritesNothing() {
            LockType type = newType(MINUTE);
            template.execute(type, "req-holder", "alice", held -> {
                List<String> before = table.snapshot();
                assertThatThrownBy(() -> otherInstance.execute(type, "req-other", "bob", lock -> "x"))
                        .isInstanceOf(ApiLockAcquireException.class);
                assertThat(table.snapshot()).isEqualTo(before);
                return null;
            });
        }

        @Test
        void blockedCallbackNeverRuns() {
            LockType type = newType(MINUTE);
            AtomicInteger runs = new AtomicInteger();
            template.execute(type, "req-holder", "alice", held -> {
                assertThatThrownBy(() -> otherInstance.execute(type, "req-other", "bob", lock -> runs.incrementAndGet()))
                        .isInstanceOf(ApiLockAcquireException.class);
                return null;
            });
            assertThat(runs).hasValue(0);
        }

        @Test
        void reentrantAcquireOfTheSameTypeIsRefusedAtOnce() {
            LockType type = newType(MINUTE);
            ApiLockAcquireException refusal = template.execute(type, "req-1", "alice", held ->
                    catchThrowableOfType(ApiLockAcquireException.class,
                            () -> template.execute(type, "req-1", "alice", lock -> "nested")));
            assertThat(refusal.getMessage()).contains("not reentrant");
            assertThat(refusal.holder()).hasValueSatisfying(h -> assertThat(h.user()).isEqualTo("alice"));
            assertThat(table.count("lock_type = ?", type.name())).isEqualTo(1);
        }

        @Test
        void reentryThroughAnotherTemplateWithAWaitDoesNotWaitForItself() {
            LockType type = newType(MINUTE);
            template.execute(type, "req-1", "alice", held -> {
                long start = System.nanoTime();
                ApiLockAcquireException refusal = catchThrowableOfType(ApiLockAcquireException.class,
                        () -> otherInstance.execute(type, "req-2", "alice", Duration.ofSeconds(30), lock -> "x"));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
                assertThat(refusal.getMessage()).contains("holds this lock type itself");
                assertThat(refusal.holder()).map(LockInfo::lockId).hasValue(held.lockId());
                return null;
            });
        }

        @Test
        void latestActiveLookupAgreesWithTheAcquisition() {
            LockType type = newType(MINUTE);
            ApiLockRepository repository = new ApiLockRepository(factory);
            template.execute(type, "req-1", "alice", lock -> {
                assertThat(repository.findLatestActive(type.name()))
                        .hasValueSatisfying(latest -> assertThat(latest.lockId()).isEqualTo(lock.lockId()));
                return null;
            });
            assertThat(repository.findLatestActive(type.name())).isEmpty();
        }
    }

    @Nested
    class Failures {

        @Test
        void callbackExceptionPropagatesUnchangedAndTheLockIsReleased() {
            LockType type = newType(MINUTE);
            IllegalStateException thrown = new IllegalStateException("callback failed");
            assertThatThrownBy(() -> template.execute(type, "req-1", "alice", lock -> {
                throw thrown;
            })).isSameAs(thrown);
            assertThat(thrown.getSuppressed()).isEmpty();
            assertThat(table.count("lock_type = ? AND NOT released", type.name())).isZero();
            String again = otherInstance.execute(type, "req-2", "bob", lock -> "free again");
            assertThat(again).isEqualTo("free again");
        }

        @Test
        void callbackErrorPropagatesUnchangedAndTheLockIsReleased() {
            LockType type = newType(MINUTE);
            AssertionError thrown = new AssertionError("callback error");
            assertThatThrownBy(() -> template.execute(type, "req-1", "alice", lock -> {
                throw thrown;
            })).isSameAs(thrown);
            assertThat(table.count("lock_type = ? AND NOT released", type.name())).isZero();
        }

        @Test
        void releaseFailureDoesNotHideCallbackException() {
            LockType type = newType(MINUTE);
            HikariDataSource pool = database.dataSource(2);
            LockTemplate doomed = new LockTemplate(database.entityManagerFactory(pool));
            IllegalStateException thrown = new IllegalStateException("callback failed");

            assertThatThrownBy(() -> doomed.execute(type, "req-1", "alice", lock -> {
                pool.close(); // the release that follows cannot get a connection
                throw thrown;
            })).isSameAs(thrown);

            assertThat(thrown.getSuppressed()).singleElement()
                    .isInstanceOf(ApiLockException.class)
                    .satisfies(e -> assertThat(e.getMessage()).startsWith("Could not release lock"));
            assertThat(table.count("lock_type = ? AND NOT released", type.name()))
                    .as("left to expire by itself").isEqualTo(1);
        }

        @Test
        void releaseFailureAfterSuccessStillReturnsTheResult() {
            LockType type = newType(MINUTE);
            HikariDataSource pool = database.dataSource(2);
            LockTemplate doomed = new LockTemplate(database.entityManagerFactory(pool));
            String result = doomed.execute(type, "req-1", "alice", lock -> {
                pool.close();
                return "work done";
            });
            assertThat(result).isEqualTo("work done");
        }
    }

    @Nested
    class Expiry {

        @Test
        void lockExpiresByTheDatabaseClockAndIsTakenOverWithAHigherToken() throws Exception {
            LockType type = newType(Duration.ofSeconds(1));
            LockHandle late = template.execute(type, "req-slow", "alice", first -> {
                assertThatThrownBy(() -> otherInstance.execute(type, "req-early", "bob", lock -> "x"))
                        .isInstanceOf(ApiLockAcquireException.class);
                awaitDatabaseClockPast(first.expiresAt());
                LockHandle second = otherInstance.execute(type, "req-late", "bob", lock -> lock);
                assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
                return first;
            });
            assertThat(table.count("id = ? AND release_reason = 'EXPIRED'", late.lockId()))
                    .as("the overrun holder's row is marked expired, not released by it").isEqualTo(1);
        }

        @Test
        void crashedHoldersLockIsReclaimedAfterExpiryNeverBefore() throws Exception {
            LockType type = newType(Duration.ofSeconds(2));
            AcquireAttempt crashed = new ApiLockRepository(factory).tryAcquire(
                    new NewLock(UlidCreator.getMonotonicUlid().toString(), type.name(), 2, "ghost", "req-crash"));
            assertThat(crashed.acquired()).isTrue();

            assertThatThrownBy(() -> template.execute(type, "req-1", "alice", lock -> "x"))
                    .isInstanceOfSatisfying(ApiLockAcquireException.class,
                            e -> assertThat(e.holder()).map(LockInfo::user).hasValue("ghost"));

            awaitDatabaseClockPast(crashed.holder().expiresAt());
            LockHandle taken = template.execute(type, "req-2", "alice", lock -> lock);
            assertThat(taken.fencingToken()).isGreaterThan(crashed.holder().fencingToken());
            assertThat(table.count("id = ? AND released AND release_reason = 'EXPIRED' AND released_at >= expires_at",
                    crashed.holder().lockId())).isEqualTo(1);
        }
    }

    @Nested
    class Waiting {

        @Test
        void waiterGetsTheLockOnceTheHolderReleases() throws Exception {
            LockType type = newType(MINUTE);
            CountDownLatch held = new CountDownLatch(1);
            CompletableFuture<String> holder = CompletableFuture.supplyAsync(() ->
                    template.execute(type, "req-holder", "alice", lock -> {
                        held.countDown();
                        sleep(300);
                        return lock.lockId();
                    }));
            held.await();
            long start = System.nanoTime();
            String waiter = otherInstance.execute(type, "req-waiter", "bob", Duration.ofSeconds(10), LockHandle::lockId);
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(waiter).isNotEqualTo(holder.get());
            assertThat(waitedMillis).isBetween(100L, 5_000L);
            assertThat(table.count("lock_type = ? AND locked_by = 'bob'", type.name())).isEqualTo(1);
        }

        @Test
        void waiterGivesUpAtItsDeadlineNamingTheHolder() {
            LockType type = newType(MINUTE);
            template.execute(type, "req-holder", "alice", held -> {
                long start = System.nanoTime();
                ApiLockAcquireException refusal = join(CompletableFuture.supplyAsync(() -> // another thread
                        catchThrowableOfType(ApiLockAcquireException.class, () -> otherInstance.execute(
                                type, "req-waiter", "bob", Duration.ofMillis(400), lock -> "x"))));
                long waitedMillis = (System.nanoTime() - start) / 1_000_000;

                assertThat(waitedMillis).isBetween(400L, 5_000L);
                assertThat(refusal.status()).isEqualTo(409);
                assertThat(refusal.holder()).map(LockInfo::lockId).hasValue(held.lockId());
                assertThat(refusal.getMessage()).containsPattern("Gave up after waiting 0\\.\\d s \\(\\d+ attempts\\)");
                return null;
            });
            assertThat(table.count("lock_type = ? AND locked_by = 'bob'", type.name())).as("no row for a refusal")
                    .isZero();
        }

        @Test
        void interruptStopsTheWaitAndKeepsTheFlag() throws Exception {
            LockType type = newType(MINUTE);
            template.execute(type, "req-holder", "alice", held -> {
                CompletableFuture<Throwable> outcome = new CompletableFuture<>();
                Thread waiter = new Thread(() -> {
                    try {
                        otherInstance.execute(type, "req-waiter", "bob", Duration.ofSeconds(30), lock -> "x");
                        outcome.complete(null);
                    } catch (Throwable t) {
                        outcome.complete(Thread.currentThread().isInterrupted() ? t : new AssertionError("flag lost", t));
                    }
                });
                waiter.start();
                sleep(200);
                waiter.interrupt();
                Throwable thrown = join(outcome);
                assertThat(thrown).isInstanceOf(ApiLockAcquireException.class)
                        .hasMessageContaining("Interrupted while waiting");
                return null;
            });
        }

        @Test
        void waitersUnderSteadyContentionAllGetTheLock() throws Exception {
            LockType type = newType(MINUTE);
            int waiters = 8;
            int rounds = 10;
            List<Integer> attemptsPerAcquisition = Collections.synchronizedList(new ArrayList<>());
            List<Long> waitMillis = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            ExecutorService threads = Executors.newFixedThreadPool(waiters);
            for (int w = 0; w < waiters; w++) {
                AtomicInteger refused = new AtomicInteger();
                LockTemplate instance = new LockTemplate(database.entityManagerFactory(database.dataSource(2)),
                        new LockListener() {
                            @Override
                            public void blocked(LockType t, Optional<LockInfo> holder) {
                                refused.incrementAndGet();
                            }
                        });
                String user = "waiter-" + w;
                runs.add(CompletableFuture.runAsync(() -> {
                    for (int r = 0; r < rounds; r++) {
                        refused.set(0);
                        long start = System.nanoTime();
                        instance.execute(type, "round-" + r, user, Duration.ofSeconds(60), lock -> {
                            if (inside.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            sleep(5);
                            inside.decrementAndGet();
                            return null;
                        });
                        waitMillis.add((System.nanoTime() - start) / 1_000_000);
                        attemptsPerAcquisition.add(refused.get() + 1);
                    }
                }, threads));
            }
            try {
                CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
            } finally {
                threads.shutdownNow();
            }

            assertThat(attemptsPerAcquisition).hasSize(waiters * rounds);
            assertThat(overlaps).hasValue(0);
            List<Integer> attempts = attemptsPerAcquisition.stream().sorted().toList();
            List<Long> waits = waitMillis.stream().sorted().toList();
            System.out.printf("%s starvation: %d waiters x %d rounds, 5 ms callbacks: attempts per acquisition"
                            + " median %d, p90 %d, max %d; wait median %d ms, p90 %d ms, max %d ms%n",
                    kind(), waiters, rounds, attempts.get(attempts.size() / 2),
                    attempts.get(attempts.size() * 9 / 10), attempts.get(attempts.size() - 1),
                    waits.get(waits.size() / 2), waits.get(waits.size() * 9 / 10), waits.get(waits.size() - 1));
        }

        @Test
        void zeroWaitIsOneAttempt() {
            LockType type = newType(MINUTE);
            template.execute(type, "req-holder", "alice", held -> {
                assertThatThrownBy(() -> otherInstance.execute(type, "req", "bob", Duration.ZERO, lock -> "x"))
                        .isInstanceOf(ApiLockAcquireException.class)
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Gave up"));
                return null;
            });
        }

        @Test
        void badWaitsAreRejectedBeforeAnySql() {
            LockType type = newType(MINUTE);
            assertThatThrownBy(() -> template.execute(type, "req", "bob", null, lock -> "x"))
                    .isInstanceOf(ApiLockSetupException.class).hasMessage("Maximum wait must not be null");
            assertThatThrownBy(() -> template.execute(type, "req", "bob", Duration.ofMillis(-1), lock -> "x"))
                    .isInstanceOf(ApiLockSetupException.class).hasMessageContaining("was PT-0.001S");
            assertThatThrownBy(() -> template.execute(type, "req", "bob", Duration.ofDays(2), lock -> "x"))
                    .isInstanceOf(ApiLockSetupException.class).hasMessageContaining("was PT48H");
            assertThat(table.count("lock_type = ?", type.name())).isZero();
        }
    }

    @Test
    void fencingTokensStrictlyIncreaseAcrossSuccessiveHolders() {
        LockType type = newType(MINUTE);
        LockType other = newType(MINUTE);
        List<Long> tokens = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            LockTemplate instance = i % 2 == 0 ? template : otherInstance;
            tokens.add(instance.execute(type, "req-" + i, "alice", LockHandle::fencingToken));
            otherInstance.execute(other, "req-other-" + i, "bob", LockHandle::fencingToken);
        }
        assertThat(tokens).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void callersOpenTransactionDoesNotHideOrDelayTheLock() {
        LockType type = newType(MINUTE);
        EntityManager caller = factory.createEntityManager();
        try {
            caller.getTransaction().begin();
            caller.createNativeQuery("SELECT COUNT(*) FROM api_locks").getSingleResult();

            String lockId = template.execute(type, "req-1", "alice", lock -> {
                // visible at once to a separate connection and another instance, caller still uncommitted
                assertThat(table.count("id = ? AND NOT released", lock.lockId())).isEqualTo(1);
                assertThatThrownBy(() -> otherInstance.execute(type, "req-2", "bob", l -> "x"))
                        .isInstanceOf(ApiLockAcquireException.class);
                return lock.lockId();
            });
            assertThat(table.count("id = ? AND released", lockId)).as("release committed on its own").isEqualTo(1);

            caller.getTransaction().rollback();
            assertThat(table.count("id = ? AND released", lockId)).as("history survives the caller's rollback")
                    .isEqualTo(1);
        } finally {
            caller.close();
        }
    }

    @Nested
    class InvalidInput {

        static Stream<Arguments> badRequests() {
            LockType ok = LockType.of("valid_type", MINUTE);
            LockCallback<String> callback = lock -> "ran";
            String overlong = "x".repeat(256);
            return Stream.of(
                    Arguments.of("null type", null, "req", "alice", callback, "Lock type must not be null"),
                    Arguments.of("null reference", ok, null, "alice", callback, "Reference id must not be null"),
                    Arguments.of("blank reference", ok, "  ", "alice", callback, "Reference id must not be blank"),
                    Arguments.of("overlong reference", ok, overlong, "alice", callback,
                            "Reference id must be at most 255 characters, was 256"),
                    Arguments.of("control character in reference", ok, "req\n2", "alice", callback,
                            "Reference id must not contain control characters"),
                    Arguments.of("null user", ok, "req", null, callback, "User must not be null"),
                    Arguments.of("empty user", ok, "req", "", callback, "User must not be blank"),
                    Arguments.of("tab-only user", ok, "req", "\t", callback, "User must not be blank"),
                    Arguments.of("overlong user", ok, "req", overlong, callback, "User must be at most 255"),
                    Arguments.of("NUL in user", ok, "req", "al\u0000ice", callback,
                            "User must not contain control characters, line separators, bidirectional overrides or broken surrogates, was 'al\\u0000ice'"),
                    Arguments.of("null callback", ok, "req", "alice", null, "Lock callback must not be null"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("badRequests")
        void isRejectedBeforeAnySqlWithNothingWritten(String label, LockType type, String reference, String user,
                                                    LockCallback<String> callback, String expectedMessage) {
            AtomicInteger connections = new AtomicInteger();
            LockTemplate counted = new LockTemplate(database.entityManagerFactory(
                    countingConnections(database.dataSource(1), connections)));
            connections.set(0); // Hibernate may look at the database while it boots
            List<String> before = table.snapshot();

            assertThatThrownBy(() -> counted.execute(type, reference, user, callback))
                    .isInstanceOf(ApiLockSetupException.class)
                    .hasMessageContaining(expectedMessage);

            assertThat(connections).as("connections asked for").hasValue(0);
            assertThat(table.snapshot()).isEqualTo(before);
        }

        @Test
        void sqlMetacharactersAreStoredVerbatim() {
            LockType type = newType(MINUTE);
            String user = "o'brien\"; DROP TABLE api_locks; --";
            String reference = "req' OR '1'='1";
            LockHandle handle = template.execute(type, reference, user, lock -> lock);
            assertThat(table.count("id = ? AND locked_by = ? AND reference_id = ?", handle.lockId(), user, reference))
                    .isEqualTo(1);
        }

        @Test
        void nonAsciiUserAndReferenceRoundTrip() {
            LockType type = newType(MINUTE);
            String user = "Zoë 渡辺 🙂";
            ApiLockAcquireException refusal = template.execute(type, "réf-ü", user, held ->
                    catchThrowableOfType(ApiLockAcquireException.class,
                            () -> otherInstance.execute(type, "req", "bob", lock -> "x")));
            assertThat(refusal.holder()).hasValueSatisfying(holder -> {
                assertThat(holder.user()).isEqualTo(user);
                assertThat(holder.referenceId()).isEqualTo("réf-ü");
            });
        }
    }

    @Test
    void hostApplicationSharesItsPersistenceUnitAndChangelog() throws Exception {
        HikariDataSource pool = database.dataSource(4);
        HostApplication.migrate(pool); // includes apilock's changelog, already applied: must be a no-op for it
        EntityManagerFactory hostUnit = HostApplication.persistenceUnit(pool);
        try {
            LockTemplate hostTemplate = new LockTemplate(hostUnit);
            LockType type = newType(MINUTE);
            long token = hostTemplate.execute(type, "req-1", "alice", lock -> {
                EntityManager em = hostUnit.createEntityManager();
                try {
                    em.getTransaction().begin();
                    em.persist(new HostDocument(1L, "configuration", lock.fencingToken()));
                    em.getTransaction().commit();
                } finally {
                    em.close();
                }
                return lock.fencingToken();
            });
            EntityManager em = hostUnit.createEntityManager();
            try {
                assertThat(em.find(HostDocument.class, 1L).getWrittenWithToken()).isEqualTo(token);
                assertThat(em.createQuery("select count(l) from ApiLockEntity l where l.lockType = :t", Long.class)
                        .setParameter("t", type.name()).getSingleResult()).isEqualTo(1L);
            } finally {
                em.close();
            }
            assertThat(table.queryLong("SELECT COUNT(*) FROM DATABASECHANGELOG WHERE author = 'apilock'"))
                    .as("apilock's change sets applied once").isEqualTo(kind() == TestDatabase.Kind.POSTGRESQL ? 4 : 3);
        } finally {
            hostUnit.close();
        }
    }

    @Test
    void mutualExclusionUnderContentionBetweenSeparateInstances() throws Exception {
        LockType type = newType(Duration.ofSeconds(30));
        int instances = 8;
        int cycles = 200;
        ContentionRun run = ContentionRun.of(database, instances, cycles, type);
        run.start();
        run.awaitDone(Duration.ofMinutes(2));

        assertThat(run.failures()).isEmpty();
        assertThat(run.overlaps()).as("callbacks that saw another holder inside").isZero();
        assertThat(run.successes()).isGreaterThanOrEqualTo(cycles);
        assertThat(run.counter()).as("non-atomic counter incremented under the lock").isEqualTo(run.successes());
        assertThat(run.tokensInEntryOrder()).hasSize(run.successes()).isSorted().doesNotHaveDuplicates();
        assertThat(table.count("lock_type = ?", type.name())).isEqualTo(run.successes());
        System.out.printf("%s contention: %d instances, %d cycles, %d refused attempts, %d overlaps%n",
                kind(), instances, run.successes(), run.refusals(), run.overlaps());
    }

    /** Wraps a DataSource to count the connections asked of it. */
    static DataSource countingConnections(DataSource target, AtomicInteger counter) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        counter.incrementAndGet();
                    }
                    if (method.getName().equals("getLogWriter")) {
                        return new PrintWriter(System.err);
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}

package dev.apilock.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apilock.ApiLockAcquireException;
import dev.apilock.LockHandle;
import dev.apilock.LockHandle.ReleasedWhen;
import dev.apilock.TestDatabase;
import dev.apilock.spring.testapp.Counters;
import dev.apilock.spring.testapp.Counters.Seen;
import dev.apilock.spring.testapp.LockedThenTransactional;
import dev.apilock.spring.testapp.LockedType;
import dev.apilock.spring.testapp.TestApplication;
import dev.apilock.spring.testapp.TransactionalThenLocked;
import dev.apilock.spring.testapp.TransactionalTypeLockedMethod;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.interceptor.BeanFactoryTransactionAttributeSourceAdvisor;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code @ApiLocked} with {@code @Transactional}, in every way of writing the two, in a real Boot
 * application on Boot's {@link JpaTransactionManager} and a real database: the lock is taken
 * before the method's own transaction begins and released after that transaction committed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiLockedAdviceContract {

    private TestDatabase database;
    private ConfigurableApplicationContext context;
    private Counters counters;
    private int names;

    abstract TestDatabase.Kind kind();

    /** A locked method, fail-fast or waiting, in each way of declaring it. */
    enum Style {
        LOCKED_THEN_TRANSACTIONAL((context, name) -> context.getBean(LockedThenTransactional.class).increment(name),
                (context, name) -> context.getBean(LockedThenTransactional.class).incrementWaiting(name)),
        TRANSACTIONAL_THEN_LOCKED((context, name) -> context.getBean(TransactionalThenLocked.class).increment(name),
                (context, name) -> context.getBean(TransactionalThenLocked.class).incrementWaiting(name)),
        TRANSACTIONAL_TYPE_LOCKED_METHOD(
                (context, name) -> context.getBean(TransactionalTypeLockedMethod.class).increment(name),
                (context, name) -> context.getBean(TransactionalTypeLockedMethod.class).incrementWaiting(name));

        final BiFunction<ConfigurableApplicationContext, String, Long> failFast;
        final BiFunction<ConfigurableApplicationContext, String, Long> waiting;

        Style(BiFunction<ConfigurableApplicationContext, String, Long> failFast,
              BiFunction<ConfigurableApplicationContext, String, Long> waiting) {
            this.failFast = failFast;
            this.waiting = waiting;
        }
    }

    static Stream<Arguments> styles() {
        return Stream.of(Style.values()).map(Arguments::of);
    }

    @BeforeAll
    void start() {
        database = TestDatabase.create(kind(), getClass().getSimpleName());
        context = Boot.start(database, TestApplication.class);
        counters = context.getBean(Counters.class);
        assertThat(context.getBean(PlatformTransactionManager.class)).isInstanceOf(JpaTransactionManager.class);
    }

    @AfterAll
    void stop() {
        if (context != null) {
            context.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @AfterEach
    void reset() {
        counters.reset();
    }

    @ParameterizedTest
    @MethodSource("styles")
    void theLockIsTakenBeforeTheTransactionBeginsAndReleasedAfterItCommits(Style style) throws Exception {
        String name = nextName();
        List<Boolean> heldAtCommit = new CopyOnWriteArrayList<>();
        List<Long> committedAtCommit = new CopyOnWriteArrayList<>();
        counters.afterCommit(lock -> {
            heldAtCommit.add(!released(lock.lockId()));
            committedAtCommit.add(counterValue(name));
        });

        long value = style.failFast.apply(context, name);

        assertThat(value).isEqualTo(1);
        Seen seen = counters.seen().get(0);
        assertThat(seen.inTransaction()).as("the method ran in its transaction").isTrue();
        assertThat(seen.coveredAtAcquire()).as("a transaction was visible when the lock was taken").isFalse();
        assertThat(heldAtCommit).as("lock held when the transaction had committed").containsExactly(true);
        assertThat(committedAtCommit).as("the commit was visible to other connections then").containsExactly(1L);
        assertThat(released(seen.lock().lockId())).isTrue();
        assertThat(seen.lock().releasedWhen()).contains(ReleasedWhen.CALLBACK_RETURNED);
    }

    @ParameterizedTest
    @MethodSource("styles")
    void anotherCallerIsRefusedWith409WhileTheLockIsHeld(Style style) throws Exception {
        String name = nextName();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        counters.inside(lock -> {
            if (Thread.currentThread().getName().startsWith("first")) {
                inside.countDown();
                await(proceed);
            }
        });
        ExecutorService first = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "first-caller"));
        try {
            Future<Long> holding = first.submit(() -> style.failFast.apply(context, name));
            assertThat(inside.await(30, TimeUnit.SECONDS)).as("the first caller is inside").isTrue();
            try {
                assertThatThrownBy(() -> style.failFast.apply(context, name))
                        .isInstanceOfSatisfying(ApiLockAcquireException.class, refused -> {
                            assertThat(refused.status()).isEqualTo(409);
                            assertThat(refused.lockType().name()).isEqualTo("configdocs_update");
                            assertThat(refused.holder()).hasValueSatisfying(holder ->
                                    assertThat(holder.lockId()).isEqualTo(counters.seen().get(0).lock().lockId()));
                        });
            } finally {
                proceed.countDown();
            }
            assertThat(holding.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        } finally {
            first.shutdownNow();
        }
        assertThat(counterValue(name)).as("the refused call wrote nothing").isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("styles")
    void concurrentCallersThatWaitLoseNoUpdate(Style style) throws Exception {
        String name = nextName();
        int threads = 4;
        int each = 5;
        counters.inside(lock -> sleep(3)); // widens the window between read and write
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Long>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    List<Long> values = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        values.add(style.waiting.apply(context, name));
                    }
                    return values;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> result : results) {
                all.addAll(result.get(120, TimeUnit.SECONDS));
            }
            assertThat(all).containsExactlyInAnyOrderElementsOf(
                    LongStream.rangeClosed(1, (long) threads * each).boxed().toList());
        } finally {
            pool.shutdownNow();
        }
        assertThat(counterValue(name)).isEqualTo((long) threads * each);
    }

    @ParameterizedTest
    @MethodSource("styles")
    void aCallerAlreadyInATransactionKeepsTheLockUntilThatTransactionCommits(Style style) throws Exception {
        String name = nextName();
        TransactionTemplate outer = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
        List<Boolean> releasedBeforeOuterCommit = new ArrayList<>();

        outer.executeWithoutResult(status -> {
            style.failFast.apply(context, name);
            releasedBeforeOuterCommit.add(released(counters.seen().get(0).lock().lockId()));
        });

        Seen seen = counters.seen().get(0);
        assertThat(seen.coveredAtAcquire()).as("the caller's transaction was visible at acquire").isTrue();
        assertThat(releasedBeforeOuterCommit).containsExactly(false);
        assertThat(released(seen.lock().lockId())).isTrue();
        assertThat(seen.lock().releasedWhen()).contains(ReleasedWhen.CALLER_COMMITTED);
    }

    @Test
    void aMethodThatFailsRollsBackReleasesAndThrowsItsCheckedExceptionUnchanged() throws Exception {
        String name = nextName();
        LockedThenTransactional service = context.getBean(LockedThenTransactional.class);

        assertThatThrownBy(() -> service.incrementThenFail(name))
                .isExactlyInstanceOf(Exception.class)
                .hasMessage("refused after writing " + name);

        LockHandle lock = counters.seen().get(0).lock();
        assertThat(counterValue(name)).as("rolled back").isZero();
        assertThat(released(lock.lockId())).isTrue();
        assertThat(service.increment(name)).as("the next call gets the lock").isEqualTo(1);
    }

    @Test
    void aLockedTypeLocksItsPublicMethodsWithItsOwnTypeUnlessAMethodSaysOtherwise() {
        LockedType service = context.getBean(LockedType.class);

        assertThat(service.run()).hasValueSatisfying(lock -> assertThat(lock.type().name()).isEqualTo("nightly-report"));
        assertThat(service.runAsConfigdocs())
                .hasValueSatisfying(lock -> assertThat(lock.type().name()).isEqualTo("configdocs_update"));
        assertThat(service.toString()).isEqualTo("LockedType, locked: false");
    }

    @Test
    void theAdviceIsOrderedJustOutsideTheTransactionAdvisor() {
        int transactions = context.getBean(BeanFactoryTransactionAttributeSourceAdvisor.class).getOrder();

        assertThat(context.getBean(ApiLockedAdvisor.class).getOrder()).isEqualTo(transactions - 1);
    }

    private String nextName() {
        return kind().name().toLowerCase() + "-" + (++names);
    }

    private boolean released(String lockId) {
        try (Connection connection = database.connect();
             PreparedStatement statement = connection.prepareStatement("SELECT released FROM api_locks WHERE id = ?")) {
            statement.setString(1, lockId);
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).as("lock row %s", lockId).isTrue();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long counterValue(String name) {
        try (Connection connection = database.connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT counter_value FROM test_counters WHERE name = ?")) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.apilock;

import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * A test class on a real database of its own (see {@link TestDatabase}), with two templates on
 * separate factories and pools that stand for two application instances. Subclasses choose the
 * database; every test's lock types are its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseTest {

    static final Duration MINUTE = Duration.ofSeconds(60);

    TestDatabase database;
    EntityManagerFactory factory;
    LockTemplate template;
    LockTemplate otherInstance;
    LockTable table;
    String testName;
    private int typeCounter;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void openDatabase() {
        database = TestDatabase.create(kind(), getClass().getSimpleName());
        factory = database.entityManagerFactory();
        template = new LockTemplate(factory);
        otherInstance = new LockTemplate(database.entityManagerFactory());
        table = new LockTable(database);
    }

    @AfterAll
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void rememberTestName(TestInfo info) {
        testName = info.getTestMethod().map(m -> m.getName()).orElse("test");
    }

    @AfterEach
    void historyStaysConsistent() {
        table.assertConsistent();
    }

    /** A lock type of its own for each use, so tests never see each other's locks. */
    LockType newType(Duration expiresAfter) {
        String name = testName + "-" + (++typeCounter);
        return LockType.of(name.length() > 100 ? name.substring(name.length() - 100) : name, expiresAfter);
    }

    Instant databaseNow() {
        return database.now();
    }

    /** Sleeps until the database clock has passed {@code instant}. */
    void awaitDatabaseClockPast(Instant instant) {
        while (!databaseNow().isAfter(instant)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}

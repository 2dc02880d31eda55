package dev.apilock.reliability;

import dev.apilock.LockTable;
import dev.apilock.LockType;
import dev.apilock.reliability.ReliabilityDatabase.Target;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * A reliability test class on a database of its own ({@link ReliabilityDatabase}), opened once
 * for the class; every test's lock types are its own, and every test ends with the history
 * checked for consistency.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReliabilityTest {

    ReliabilityDatabase database;
    LockTable table;
    String testName;
    private int typeCounter;

    abstract Target target();

    @BeforeAll
    void openDatabase() {
        database = ReliabilityDatabase.open(target(), getClass().getSimpleName());
        table = database.table();
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

    /**
     * The history is consistent after every test: runs after the subclass's own clean-up
     * (JUnit runs a superclass's {@code @AfterEach} last), so no process or proxy is still at work.
     */
    @AfterEach
    void historyStaysConsistent() {
        table.assertConsistent();
    }

    LockType newType(Duration expiry) {
        String name = testName + "-" + (++typeCounter);
        return LockType.of(name.length() > 100 ? name.substring(0, 100) : name, expiry);
    }
}

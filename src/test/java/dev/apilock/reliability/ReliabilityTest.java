package dev.apilock.reliability;

import dev.apilock.LockTable;
import dev.apilock.LockType;
import dev.apilock.reliability.ReliabilityDatabase.Target;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * A reliability test class on a database of its own ({@link ReliabilityDatabase}), opened once
 * for the class; every test's lock types are its own.
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

    LockType newType(Duration expiry) {
        String name = testName + "-" + (++typeCounter);
        return LockType.of(name.length() > 100 ? name.substring(0, 100) : name, expiry);
    }
}

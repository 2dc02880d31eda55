package dev.apilock;

/** The lock contract on the machine's PostgreSQL, in a schema of its own. */
class PostgresLockContractTest extends LockContractTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}

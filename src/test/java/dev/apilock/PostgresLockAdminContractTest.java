package dev.apilock;

/** The administrative contract on the machine's PostgreSQL, in a schema of its own. */
class PostgresLockAdminContractTest extends LockAdminContractTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}

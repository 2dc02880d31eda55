package dev.apilock;

class PostgresHostTransactionContractTest extends HostTransactionContractTest {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}

package dev.apilock;

class PostgresListenerContractTest extends ListenerContractTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}

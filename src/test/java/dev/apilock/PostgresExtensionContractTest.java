package dev.apilock;

class PostgresExtensionContractTest extends ExtensionContractTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}

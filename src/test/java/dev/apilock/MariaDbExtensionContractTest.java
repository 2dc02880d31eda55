package dev.apilock;

class MariaDbExtensionContractTest extends ExtensionContractTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }
}

package dev.apilock;

class MariaDbHostTransactionContractTest extends HostTransactionContractTest {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }
}

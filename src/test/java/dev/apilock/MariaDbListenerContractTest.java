package dev.apilock;

class MariaDbListenerContractTest extends ListenerContractTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }
}

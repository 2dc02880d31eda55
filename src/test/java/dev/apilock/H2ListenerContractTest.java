package dev.apilock;

class H2ListenerContractTest extends ListenerContractTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}

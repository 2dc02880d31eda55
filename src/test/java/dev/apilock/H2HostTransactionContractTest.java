package dev.apilock;

class H2HostTransactionContractTest extends HostTransactionContractTest {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}

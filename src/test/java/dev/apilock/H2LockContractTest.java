package dev.apilock;

/** The lock contract on H2 in memory. */
class H2LockContractTest extends LockContractTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}

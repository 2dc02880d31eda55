package dev.apilock;

/** The administrative contract on H2 in memory. */
class H2LockAdminContractTest extends LockAdminContractTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}

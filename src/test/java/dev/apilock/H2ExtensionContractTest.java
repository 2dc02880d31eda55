package dev.apilock;

class H2ExtensionContractTest extends ExtensionContractTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}

package dev.apilock.spring;

import dev.apilock.TestDatabase;

class H2ApiLockedAdviceTest extends ApiLockedAdviceContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}

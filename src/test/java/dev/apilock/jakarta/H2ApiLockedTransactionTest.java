package dev.apilock.jakarta;

import dev.apilock.TestDatabase;

class H2ApiLockedTransactionTest extends ApiLockedTransactionContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}

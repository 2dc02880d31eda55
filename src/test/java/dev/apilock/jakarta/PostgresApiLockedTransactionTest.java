package dev.apilock.jakarta;

import dev.apilock.TestDatabase;

class PostgresApiLockedTransactionTest extends ApiLockedTransactionContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}

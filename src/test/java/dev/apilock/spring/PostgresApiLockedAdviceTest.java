package dev.apilock.spring;

import dev.apilock.TestDatabase;

class PostgresApiLockedAdviceTest extends ApiLockedAdviceContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}

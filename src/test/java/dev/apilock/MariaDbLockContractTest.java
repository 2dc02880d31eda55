package dev.apilock;

/** The lock contract on the machine's MariaDB, in a database of its own. */
class MariaDbLockContractTest extends LockContractTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }
}

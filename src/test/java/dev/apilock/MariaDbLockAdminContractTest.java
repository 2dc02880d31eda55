package dev.apilock;

/** The administrative contract on the machine's MariaDB, in a database of its own. */
class MariaDbLockAdminContractTest extends LockAdminContractTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }
}

package dev.apilock.reliability;

import dev.apilock.reliability.ReliabilityDatabase.Target;

/** Separate processes on the machine's PostgreSQL, its server log read for errors of their backends. */
class PostgresCrossProcessLockTest extends CrossProcessLockTest {

    @Override
    Target target() {
        return Target.POSTGRESQL;
    }
}

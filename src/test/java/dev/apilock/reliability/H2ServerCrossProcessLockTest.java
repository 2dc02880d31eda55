package dev.apilock.reliability;

import dev.apilock.reliability.ReliabilityDatabase.Target;

/** Separate processes on one H2 database served over TCP by the test JVM. */
class H2ServerCrossProcessLockTest extends CrossProcessLockTest {

    @Override
    Target target() {
        return Target.H2_SERVER;
    }
}

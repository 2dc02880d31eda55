package dev.apilock.reliability;

import dev.apilock.reliability.ReliabilityDatabase.Target;

/** Connection faults between an application instance and an H2 server. */
class H2ServerConnectionFaultTest extends ConnectionFaultTest {

    @Override
    Target target() {
        return Target.H2_SERVER;
    }

    @Override
    String refusedCause() {
        return "Connection refused";
    }

    @Override
    String brokenCause() {
        return "Connection is broken";
    }
}

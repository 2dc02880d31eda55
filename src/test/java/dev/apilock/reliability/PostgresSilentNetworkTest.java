package dev.apilock.reliability;

import dev.apilock.reliability.ReliabilityDatabase.Target;

/** A silently dropping network between an application instance and its database. */
class PostgresSilentNetworkTest extends SilentNetworkTest {

    @Override
    Target target() {
        return Target.POSTGRESQL;
    }
}

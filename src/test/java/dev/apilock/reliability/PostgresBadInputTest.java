package dev.apilock.reliability;

import dev.apilock.reliability.ReliabilityDatabase.Target;

/** Bad and hostile input, on the machine's PostgreSQL. */
class PostgresBadInputTest extends BadInputTest {

    @Override
    Target target() {
        return Target.POSTGRESQL;
    }
}

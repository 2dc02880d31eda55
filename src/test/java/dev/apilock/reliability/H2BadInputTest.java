package dev.apilock.reliability;

import dev.apilock.reliability.ReliabilityDatabase.Target;

/** Bad and hostile input, on H2 in memory. */
class H2BadInputTest extends BadInputTest {

    @Override
    Target target() {
        return Target.H2_MEMORY;
    }
}

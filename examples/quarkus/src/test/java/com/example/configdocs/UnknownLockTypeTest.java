package com.example.configdocs;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An {@code @ApiLocked} type that nothing declares stops the application's start, naming the method. */
@QuarkusMainTest
@TestProfile(UnknownLockTypeTest.WithUndeclaredType.class)
class UnknownLockTypeTest {

    public static class WithUndeclaredType implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(UndeclaredLockTypeWriter.class);
        }
    }

    @Test
    @Launch(value = {}, exitCode = 1)
    void theApplicationDoesNotStart(LaunchResult result) {
        assertThat(result.getOutput() + result.getErrorOutput())
                .contains("Unknown lock type 'configdocs_publish' in @ApiLocked on"
                        + " com.example.configdocs.UndeclaredLockTypeWriter.publish()")
                .contains("apilock.types.configdocs_publish.expires=60s");
    }
}

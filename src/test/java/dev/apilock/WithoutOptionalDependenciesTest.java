package dev.apilock;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * Micrometer and Spring are optional: a JVM with neither on the class path takes and releases
 * locks (and finds no Spring-managed transaction to wait for).
 */
class WithoutOptionalDependenciesTest {

    @Test
    void locksWorkWithoutMicrometerOrSpringOnTheClassPath() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> withoutMicrometer = Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.contains("micrometer") && !entry.contains("springframework"))
                .collect(Collectors.toList());
        assertThat(withoutMicrometer).as("micrometer and spring were on the test class path").hasSizeLessThan(
                classPath.split(File.pathSeparator).length - 1);

        Process child = new ProcessBuilder(
                System.getProperty("java.home") + "/bin/java",
                "-cp", String.join(File.pathSeparator, withoutMicrometer),
                Child.class.getName())
                .redirectErrorStream(true)
                .start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("locked and released with token 1");
    }

    /** Runs in the child JVM. */
    public static final class Child {
        public static void main(String[] args) {
            for (String absent : new String[] {"io.micrometer.core.instrument.MeterRegistry",
                    "org.springframework.transaction.support.TransactionSynchronizationManager"}) {
                try {
                    Class.forName(absent);
                    throw new IllegalStateException(absent + " is on the class path");
                } catch (ClassNotFoundException expected) {
                    // as intended
                }
            }
            JdbcDataSource dataSource = new JdbcDataSource();
            dataSource.setURL("jdbc:h2:mem:nooptionals;DB_CLOSE_DELAY=-1");
            migrateAndLock(dataSource);
        }

        private static void migrateAndLock(DataSource dataSource) {
            ApiLockSchema.migrate(dataSource);
            var factory = ApiLockPersistence.createEntityManagerFactory(dataSource);
            long token = new LockTemplate(factory).execute(LockType.of("no-optionals", Duration.ofSeconds(10)).withKeepAlive(),
                    "req", "child", LockHandle::fencingToken);
            System.out.println("locked and released with token " + token);
            factory.close();
        }
    }
}

package dev.apilock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** What mvn package produces: a plain library jar, and beside it the self-contained cli jar. */
class PackagingIT {

    private static final Path CLI_JAR = Cli.JAR;
    private static final Path LIBRARY_JAR = Path.of(CLI_JAR.toString().replace("-cli.jar", ".jar"));

    @Test
    void theLibraryJarHoldsApilocksOwnClassesOnly() throws IOException {
        try (JarFile jar = new JarFile(LIBRARY_JAR.toFile())) {
            List<String> foreign = jar.stream().map(ZipEntry::getName)
                    .filter(name -> name.endsWith(".class") && !name.startsWith("dev/apilock/"))
                    .toList();
            assertThat(foreign).as("shaded or foreign classes in the library jar").isEmpty();
            assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name")).isEqualTo("dev.apilock");
            assertThat(jar.getEntry("dev/apilock/changelog/apilock.changelog.xml")).isNotNull();
        }
    }

    @Test
    void theCliJarRunsOnItsOwn() throws IOException {
        try (JarFile jar = new JarFile(CLI_JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(ApiLockCli.class.getName());
            for (String needed : List.of("picocli/CommandLine.class", "org/h2/Driver.class", "org/postgresql/Driver.class",
                    "org/mariadb/jdbc/Driver.class",
                    "org/hibernate/SessionFactory.class", "liquibase/Liquibase.class",
                    "org/slf4j/simple/SimpleLogger.class", "dev/apilock/changelog/apilock.changelog.xml")) {
                assertThat(jar.getEntry(needed)).as(needed).isNotNull();
            }
        }
    }
}

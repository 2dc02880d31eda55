package dev.apilock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.IndexReader;
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

    /** Quarkus reads META-INF/jandex.idx of a dependency instead of asking for quarkus.index-dependency. */
    @Test
    void theLibraryJarCarriesAJandexIndexThatFindsTheEntity() throws IOException {
        try (JarFile jar = new JarFile(LIBRARY_JAR.toFile())) {
            ZipEntry entry = jar.getEntry("META-INF/jandex.idx");
            assertThat(entry).as("META-INF/jandex.idx").isNotNull();
            Index index;
            try (InputStream in = jar.getInputStream(entry)) {
                index = new IndexReader(in).read();
            }
            assertThat(index.getClassByName(DotName.createSimple("dev.apilock.store.ApiLockEntity")))
                    .as("ApiLockEntity in the index").isNotNull()
                    .satisfies(entity -> assertThat(entity.hasDeclaredAnnotation(
                            DotName.createSimple("jakarta.persistence.Entity"))).isTrue());
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
            assertThat(jar.getEntry("META-INF/services/org.hibernate.bytecode.spi.BytecodeProvider"))
                    .as("no bytecode provider: Hibernate generates no proxy classes at each start").isNull();
        }
    }
}

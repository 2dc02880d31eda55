package dev.apilock.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.IndexReader;
import org.junit.jupiter.api.Test;

/**
 * What lets Quarkus and Jakarta EE find the integration in the built jar without configuration:
 * the Jandex index Quarkus reads (beans, the interceptor, the Jakarta REST providers) and the
 * beans.xml that makes it a bean archive elsewhere.
 */
class JakartaPackagingIT {

    private static final Path LIBRARY_JAR = Path.of(System.getProperty("apilock.cli.jar").replace("-cli.jar", ".jar"));

    @Test
    void theJarIsAnAnnotatedBeanArchive() throws IOException {
        try (JarFile jar = new JarFile(LIBRARY_JAR.toFile())) {
            ZipEntry beansXml = jar.getEntry("META-INF/beans.xml");
            assertThat(beansXml).as("META-INF/beans.xml").isNotNull();
            try (InputStream in = jar.getInputStream(beansXml)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .contains("bean-discovery-mode=\"annotated\"");
            }
        }
    }

    @Test
    void theJandexIndexHoldsTheBeansTheInterceptorAndTheProviders() throws IOException {
        Index index;
        try (JarFile jar = new JarFile(LIBRARY_JAR.toFile());
             InputStream in = jar.getInputStream(jar.getEntry("META-INF/jandex.idx"))) {
            index = new IndexReader(in).read();
        }

        assertThat(annotated(index, ApiLockedInterceptor.class, "jakarta.interceptor.Interceptor")).isTrue();
        assertThat(annotated(index, ApiLockExceptionMapper.class, "jakarta.ws.rs.ext.Provider")).isTrue();
        assertThat(annotated(index, ApiLockRequestFilter.class, "jakarta.ws.rs.ext.Provider")).isTrue();
        assertThat(annotated(index, ApiLockProducers.class, "jakarta.enterprise.context.Dependent")).isTrue();
        assertThat(annotated(index, LockedMethods.class, "jakarta.enterprise.context.ApplicationScoped")).isTrue();
        assertThat(annotated(index, DefaultLockCallerResolver.class, "io.quarkus.arc.DefaultBean")).isTrue();
        assertThat(annotated(index, CurrentRequest.class, "jakarta.enterprise.context.RequestScoped")).isTrue();
    }

    private static boolean annotated(Index index, Class<?> type, String annotation) {
        ClassInfo info = index.getClassByName(DotName.createSimple(type.getName()));
        assertThat(info).as(type.getName() + " in the index").isNotNull();
        return info.hasDeclaredAnnotation(DotName.createSimple(annotation));
    }
}

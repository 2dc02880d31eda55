package dev.apilock.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apilock.ApiLocked;
import dev.apilock.CurrentLock;
import dev.apilock.TestDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.InterceptionType;
import jakarta.enterprise.inject.spi.Interceptor;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/**
 * A CDI container that scans the class path, as a Jakarta EE server scans a library, finds
 * apilock's beans through the {@code META-INF/beans.xml} of its classes, and nothing else of them.
 */
class BeanDiscoveryTest {

    @Test
    void apilocksBeansAreDiscoveredThroughItsBeansXml() {
        Config config = Cdi.useConfig(Map.of());
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2, getClass().getSimpleName())) {
            EntityManagerFactory factory = database.entityManagerFactory();
            Weld weld = new Weld("apilock-discovery")
                    .addBeanClasses(Locked.class)
                    .addExtension(new Cdi.SyntheticBeans(List.of(event -> event.addBean()
                            .types(EntityManagerFactory.class, Object.class).scope(Singleton.class)
                            .createWith(context -> factory))));
            try (WeldContainer container = weld.initialize()) {
                BeanManager beans = container.getBeanManager();
                List<Class<?>> discovered = beans.getBeans(Object.class, Any.Literal.INSTANCE).stream()
                        .map(Bean::getBeanClass)
                        .filter(type -> type.getPackageName().startsWith("dev.apilock"))
                        .filter(type -> type != Locked.class && type != Cdi.SyntheticBeans.class)
                        .distinct()
                        .collect(Collectors.toList());
                ApiLocked binding = Locked.class.getMethod("lockId").getAnnotation(ApiLocked.class);
                List<Class<?>> interceptors = beans.resolveInterceptors(InterceptionType.AROUND_INVOKE, binding)
                        .stream().map(Interceptor::getBeanClass).collect(Collectors.toList());

                assertThat(discovered).containsExactlyInAnyOrderElementsOf(Cdi.APILOCK_BEANS.stream()
                        .filter(type -> type != ApiLockedInterceptor.class).toList());
                assertThat(interceptors).containsExactly(ApiLockedInterceptor.class);
                assertThat(container.select(Locked.class).get().lockId()).matches("[0-9A-HJKMNP-TV-Z]{26}");
            }
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        } finally {
            ConfigProviderResolver.instance().releaseConfig(config);
        }
    }

    @ApplicationScoped
    public static class Locked {
        @ApiLocked("configdocs_update")
        public String lockId() {
            return CurrentLock.handle().lockId();
        }
    }
}

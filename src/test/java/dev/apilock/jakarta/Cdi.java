package dev.apilock.jakarta;

import com.arjuna.ats.jta.cdi.TransactionExtension;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.inject.Singleton;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.bootstrap.spi.BeanDiscoveryMode;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * A real CDI container for one test: Weld SE with apilock's beans, the test's own, Narayana's
 * {@code @Transactional} interceptors (its CDI extension, found on the class path), and a
 * MicroProfile Config (SmallRye) holding only the given properties.
 */
final class Cdi implements AutoCloseable {

    /** apilock's beans, as META-INF/beans.xml makes a container discover them (see BeanDiscoveryTest). */
    static final List<Class<?>> APILOCK_BEANS = List.of(ApiLockProducers.class, LockedMethods.class,
            ApiLockedInterceptor.class, DefaultLockCallerResolver.class, CurrentRequest.class);

    private static final AtomicInteger IDS = new AtomicInteger();

    private final WeldContainer container;
    private final Config config;

    private Cdi(WeldContainer container, Config config) {
        this.container = container;
        this.config = config;
    }

    static Builder builder() {
        return new Builder();
    }

    WeldContainer container() {
        return container;
    }

    <T> T get(Class<T> type, Annotation... qualifiers) {
        return container.select(type, qualifiers).get();
    }

    @Override
    public void close() {
        try {
            container.close();
        } finally {
            ConfigProviderResolver.instance().releaseConfig(config);
        }
    }

    /** Registers {@code properties} as this thread's MicroProfile Config; close releases it. */
    static Config useConfig(Map<String, String> properties) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        try {
            resolver.releaseConfig(resolver.getConfig(loader));
        } catch (IllegalStateException ignored) {
            // none yet
        }
        Config config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
        resolver.registerConfig(config, loader);
        return config;
    }

    static final class Builder {
        private final Map<String, String> properties = new HashMap<>();
        private final List<Class<?>> classes = new ArrayList<>(APILOCK_BEANS);
        private final List<Consumer<AfterBeanDiscovery>> synthetic = new ArrayList<>();

        Builder property(String name, String value) {
            properties.put(name, value);
            return this;
        }

        Builder beans(Class<?>... beanClasses) {
            classes.addAll(Arrays.asList(beanClasses));
            return this;
        }

        /** {@code instance} as a {@code @Singleton} bean of {@code type}, with {@code qualifiers} if given. */
        <T> Builder bean(Class<T> type, T instance, Annotation... qualifiers) {
            synthetic.add(event -> {
                var bean = event.addBean().types(type, Object.class).scope(Singleton.class)
                        .createWith(context -> instance);
                if (qualifiers.length > 0) {
                    bean.qualifiers(qualifiers).addQualifier(Any.Literal.INSTANCE);
                }
            });
            return this;
        }

        Cdi start() {
            Config config = useConfig(properties);
            try {
                Weld weld = new Weld("apilock-test-" + IDS.incrementAndGet())
                        .disableDiscovery()
                        .setBeanDiscoveryMode(BeanDiscoveryMode.ANNOTATED)
                        .addBeanClasses(classes.toArray(Class<?>[]::new))
                        // Narayana's @Transactional interceptors, TransactionManager and registry
                        .addExtension(new TransactionExtension())
                        .addExtension(new SyntheticBeans(synthetic));
                return new Cdi(weld.initialize(), config);
            } catch (RuntimeException | Error e) {
                ConfigProviderResolver.instance().releaseConfig(config);
                throw e;
            }
        }
    }

    /** Adds the builder's instances as beans. */
    static final class SyntheticBeans implements Extension {
        private final List<Consumer<AfterBeanDiscovery>> beans;

        SyntheticBeans(List<Consumer<AfterBeanDiscovery>> beans) {
            this.beans = beans;
        }

        void addBeans(@Observes AfterBeanDiscovery event) {
            beans.forEach(bean -> bean.accept(event));
        }
    }
}

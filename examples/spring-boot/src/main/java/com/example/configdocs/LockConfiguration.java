package com.example.configdocs;

import dev.apilock.LockOperations;
import dev.apilock.LockTemplate;
import dev.apilock.store.ApiLockEntity;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jpa.autoconfigure.EntityManagerFactoryBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** apilock in the application: its entity in Boot's persistence unit, and the lock template. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LockPoolProperties.class)
class LockConfiguration {

    /**
     * Adds {@link ApiLockEntity} to Boot's persistence unit beside the entities Boot finds by
     * itself, which {@code @EntityScan} would replace. Hibernate validates it against the table
     * that apilock's changelog created.
     */
    @Bean
    EntityManagerFactoryBuilderCustomizer apiLockEntity() {
        return builder -> builder.setPersistenceUnitPostProcessors(
                unit -> unit.addManagedClassName(ApiLockEntity.class.getName()));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnBooleanProperty("app.lock-pool.enabled")
    LockPool lockPool(LockPoolProperties properties) {
        return new LockPool(properties);
    }

    /** On Boot's EntityManagerFactory, or on the lock pool's if {@code app.lock-pool.enabled}. */
    @Bean
    LockOperations lockOperations(EntityManagerFactory entityManagerFactory, ObjectProvider<LockPool> lockPool) {
        LockPool pool = lockPool.getIfAvailable();
        return new LockTemplate(pool != null ? pool.entityManagerFactory() : entityManagerFactory);
    }
}

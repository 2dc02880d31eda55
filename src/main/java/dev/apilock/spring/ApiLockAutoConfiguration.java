package dev.apilock.spring;

import dev.apilock.LockAdmin;
import dev.apilock.LockListener;
import dev.apilock.LockOperations;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import dev.apilock.LockTypes;
import jakarta.persistence.EntityManagerFactory;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * apilock in a Spring Boot application: the declared {@link LockTypes}, a {@link LockTemplate}
 * (as {@link LockOperations}) and a {@link LockAdmin}, on Boot's EntityManagerFactory, or on a
 * small pool of apilock's own when {@code apilock.datasource.url} is set. apilock's tables are
 * checked once the database is initialized (Liquibase has run): missing ones fail the start.
 * Every {@link LockListener} bean hears the template's events. A bean of the application's own
 * replaces each of these.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration"})
@ConditionalOnClass({LockTemplate.class, EntityManagerFactory.class})
@EnableConfigurationProperties(ApiLockProperties.class)
public final class ApiLockAutoConfiguration {

    /** The built-in {@code configdocs_update}, those of {@code apilock.types.*} and every {@link LockType} bean. */
    @Bean
    @ConditionalOnMissingBean
    LockTypes apiLockTypes(ApiLockProperties properties, ObjectProvider<LockType> beans) {
        List<LockType> declared = new ArrayList<>(properties.lockTypes());
        beans.orderedStream().forEach(declared::add);
        return LockTypes.of(declared);
    }

    @Bean
    @ConditionalOnBean(ApiLockUnit.class)
    @ConditionalOnMissingBean(LockOperations.class)
    LockTemplate apiLockTemplate(ApiLockUnit apiLockUnit, ObjectProvider<LockListener> listeners) {
        return new LockTemplate(apiLockUnit.entityManagerFactory(),
                LockListener.composite(listeners.orderedStream().toArray(LockListener[]::new)));
    }

    @Bean
    @ConditionalOnBean(ApiLockUnit.class)
    @ConditionalOnMissingBean
    LockAdmin apiLockAdmin(ApiLockUnit apiLockUnit) {
        return new LockAdmin(apiLockUnit.entityManagerFactory());
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(OnOwnDataSource.Absent.class)
    @ConditionalOnBean(EntityManagerFactory.class)
    static class OnApplicationUnit {

        @Bean
        @DependsOnDatabaseInitialization
        ApiLockUnit apiLockUnit(EntityManagerFactory entityManagerFactory) {
            return ApiLockUnit.onHost(entityManagerFactory);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(OnOwnDataSource.Present.class)
    @ConditionalOnClass(name = "com.zaxxer.hikari.HikariDataSource")
    static class OnOwnPool {

        @Bean
        @DependsOnDatabaseInitialization
        ApiLockUnit apiLockUnit(ApiLockProperties properties) {
            return OwnPool.open(properties.datasource());
        }
    }
}

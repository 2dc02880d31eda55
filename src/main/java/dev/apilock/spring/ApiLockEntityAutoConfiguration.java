package dev.apilock.spring;

import dev.apilock.store.ApiLockEntity;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes;

/**
 * Adds {@link ApiLockEntity} to Boot's persistence unit, beside the entities Boot finds by itself
 * or through {@code @EntityScan}, which it does not replace, and without taking the builder's
 * single set of persistence unit post-processors from the application. Not when apilock has a
 * pool and unit of its own ({@code apilock.datasource.url}).
 */
@AutoConfiguration(beforeName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@ConditionalOnClass({ApiLockEntity.class, PersistenceManagedTypes.class})
@Conditional(OnOwnDataSource.Absent.class)
public final class ApiLockEntityAutoConfiguration {

    @Bean
    static BeanPostProcessor apiLockEntityInPersistenceUnit() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof PersistenceManagedTypes types ? withApiLockEntity(types) : bean;
            }
        };
    }

    static PersistenceManagedTypes withApiLockEntity(PersistenceManagedTypes types) {
        String entity = ApiLockEntity.class.getName();
        if (types.getManagedClassNames().contains(entity)) {
            return types;
        }
        List<String> classNames = new ArrayList<>(types.getManagedClassNames());
        classNames.add(entity);
        List<String> managed = List.copyOf(classNames);
        return new PersistenceManagedTypes() {
            @Override
            public List<String> getManagedClassNames() {
                return managed;
            }

            @Override
            public List<String> getManagedPackages() {
                return types.getManagedPackages();
            }

            @Override
            public @Nullable URL getPersistenceUnitRootUrl() {
                return types.getPersistenceUnitRootUrl();
            }
        };
    }
}

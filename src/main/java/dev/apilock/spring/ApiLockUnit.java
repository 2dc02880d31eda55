package dev.apilock.spring;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.apilock.ApiLockPersistence;
import jakarta.persistence.EntityManagerFactory;

/**
 * The EntityManagerFactory apilock works on, its tables checked: the application's own, or
 * apilock's on a pool of its own. The pool is deliberately not a {@code DataSource} bean: a
 * second one would make Boot's DataSource auto-configuration back off.
 */
final class ApiLockUnit implements AutoCloseable {

    private final EntityManagerFactory entityManagerFactory;
    private final AutoCloseable owned;

    private ApiLockUnit(EntityManagerFactory entityManagerFactory, AutoCloseable owned) {
        this.entityManagerFactory = entityManagerFactory;
        this.owned = owned;
    }

    /** On the application's factory, which Spring closes. */
    static ApiLockUnit onHost(EntityManagerFactory entityManagerFactory) {
        ApiLockTables.check(entityManagerFactory, "the application's EntityManagerFactory");
        return new ApiLockUnit(entityManagerFactory, () -> { });
    }

    /** On a pool and factory of apilock's own, closed with this unit. */
    static ApiLockUnit onOwnPool(ApiLockProperties.Datasource settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("apilock");
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.username());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maximumPoolSize());
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            EntityManagerFactory factory = ApiLockPersistence.createEntityManagerFactory(dataSource);
            try {
                ApiLockTables.check(factory, "apilock.datasource.url");
            } catch (RuntimeException e) {
                factory.close();
                throw e;
            }
            return new ApiLockUnit(factory, () -> {
                try {
                    factory.close();
                } finally {
                    dataSource.close();
                }
            });
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    EntityManagerFactory entityManagerFactory() {
        return entityManagerFactory;
    }

    @Override
    public void close() throws Exception {
        owned.close();
    }
}

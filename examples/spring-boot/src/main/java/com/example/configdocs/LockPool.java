package com.example.configdocs;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.apilock.ApiLockPersistence;
import jakarta.persistence.EntityManagerFactory;

/**
 * apilock's own connections and persistence unit. Deliberately not a {@code DataSource} bean:
 * a second one would make Boot's DataSource auto-configuration back off.
 */
final class LockPool implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final EntityManagerFactory entityManagerFactory;

    LockPool(LockPoolProperties properties) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("apilock");
        config.setJdbcUrl(properties.url());
        config.setUsername(properties.username());
        config.setPassword(properties.password());
        config.setMaximumPoolSize(properties.size());
        dataSource = new HikariDataSource(config);
        try {
            entityManagerFactory = ApiLockPersistence.createEntityManagerFactory(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    EntityManagerFactory entityManagerFactory() {
        return entityManagerFactory;
    }

    @Override
    public void close() {
        try {
            entityManagerFactory.close();
        } finally {
            dataSource.close();
        }
    }
}

package dev.apilock.spring;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.apilock.ApiLockPersistence;
import jakarta.persistence.EntityManagerFactory;

/**
 * apilock's own HikariCP pool and persistence unit, from {@code apilock.datasource.*}. Deliberately
 * not a {@code DataSource} bean: a second one would make Boot's DataSource auto-configuration back
 * off. Loaded only when HikariCP is on the class path.
 */
final class OwnPool {

    private OwnPool() {
    }

    static ApiLockUnit open(ApiLockProperties.Datasource settings) {
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
            return ApiLockUnit.owning(factory, () -> {
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
}

package dev.apilock;

import dev.apilock.store.ApiLockEntity;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.hibernate.cfg.JdbcSettings;
import org.hibernate.cfg.SchemaToolingSettings;
import org.hibernate.jpa.HibernatePersistenceConfiguration;

/**
 * A standalone Hibernate {@link EntityManagerFactory} for apilock alone, for applications that
 * do not have a persistence unit to add {@link ApiLockEntity} to. Bring a pooled
 * {@link DataSource}: every lock operation borrows a connection.
 */
public final class ApiLockPersistence {

    /** The persistence unit's name. */
    public static final String PERSISTENCE_UNIT = "apilock";

    private ApiLockPersistence() {
    }

    /**
     * A factory holding {@link ApiLockEntity} on {@code dataSource}. It does not touch the schema:
     * call {@link ApiLockSchema#migrate} first, or include the changelog in your own.
     * Close the factory when done.
     */
    public static EntityManagerFactory createEntityManagerFactory(DataSource dataSource) {
        if (dataSource == null) {
            throw new ApiLockSetupException("DataSource must not be null");
        }
        try {
            return new HibernatePersistenceConfiguration(PERSISTENCE_UNIT)
                    .managedClass(ApiLockEntity.class)
                    .property(JdbcSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource)
                    .property(SchemaToolingSettings.HBM2DDL_AUTO, "none")
                    .createEntityManagerFactory();
        } catch (RuntimeException e) {
            throw new ApiLockException("Could not create the apilock EntityManagerFactory: " + e.getMessage(), e);
        }
    }
}

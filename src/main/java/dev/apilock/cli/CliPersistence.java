package dev.apilock.cli;

import dev.apilock.ApiLockException;
import dev.apilock.ApiLockPersistence;
import dev.apilock.store.ApiLockEntity;
import jakarta.persistence.EntityManagerFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;
import org.hibernate.cfg.JdbcSettings;
import org.hibernate.cfg.MappingSettings;
import org.hibernate.cfg.SchemaToolingSettings;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.jpa.HibernatePersistenceProvider;

/**
 * The persistence unit of {@link ApiLockPersistence}, started for a process that runs a few
 * statements and exits: the dialect comes from the URL instead of from the database, so starting
 * Hibernate opens no connection and can run while the command connects and checks the schema.
 * Everything else is as {@link ApiLockPersistence#createEntityManagerFactory} does it.
 */
final class CliPersistence {

    private CliPersistence() {
    }

    /** Starts Hibernate in the background; {@link #await} gives the factory. */
    static CompletableFuture<EntityManagerFactory> start(DataSource dataSource, DatabaseKind kind) {
        CompletableFuture<EntityManagerFactory> factory = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                factory.complete(create(dataSource, kind));
            } catch (Throwable e) {
                factory.completeExceptionally(e);
            }
        }, "apilock-hibernate");
        thread.setDaemon(true); // a command that fails before it needs Hibernate exits without waiting for it
        thread.start();
        return factory;
    }

    static EntityManagerFactory await(CompletableFuture<EntityManagerFactory> factory) {
        try {
            return factory.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new ApiLockException("Could not create the apilock EntityManagerFactory: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiLockException("Interrupted while starting Hibernate", e);
        }
    }

    static EntityManagerFactory create(DataSource dataSource, DatabaseKind kind) {
        HibernatePersistenceConfiguration unit = new HibernatePersistenceConfiguration(ApiLockPersistence.PERSISTENCE_UNIT)
                .managedClass(ApiLockEntity.class)
                .property(JdbcSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource)
                .property(SchemaToolingSettings.HBM2DDL_AUTO, "none")
                // the dialect by name, at its oldest supported version, instead of asking a connection
                .property(JdbcSettings.ALLOW_METADATA_ON_BOOT, false)
                .property(JdbcSettings.JAKARTA_HBM2DDL_DB_NAME, kind.productName())
                // one annotated entity: no orm.xml to look for
                .property(MappingSettings.XML_MAPPING_ENABLED, false);
        return new HibernatePersistenceProvider().createEntityManagerFactory(unit);
    }
}

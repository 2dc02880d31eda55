package dev.apilock;

import dev.apilock.store.ApiLockEntity;
import dev.apilock.store.HostJtaPlatform;
import jakarta.persistence.EntityManagerFactory;
import jakarta.transaction.TransactionManager;
import javax.sql.DataSource;
import org.hibernate.cfg.JdbcSettings;
import org.hibernate.cfg.SchemaToolingSettings;
import org.hibernate.cfg.TransactionSettings;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.jpa.HibernatePersistenceProvider;

/**
 * A standalone Hibernate {@link EntityManagerFactory} for apilock alone, on a {@link DataSource}
 * of its own: for applications without a persistence unit to add {@link ApiLockEntity} to, and for
 * giving the lock a small pool of its own.
 *
 * <p><b>Why a pool of its own.</b> A caller inside a transaction holds one pooled connection; a
 * lock operation needs another. On a shared pool, as many such callers as the pool has connections
 * wait on themselves until the pool's timeout. On a pool of its own, apilock's short operations
 * never wait for the callers' connections: size it for the lock operations that run at once (each
 * takes a connection for one round trip or two), e.g. 2 to 4, and keep it out of any transaction
 * manager (a plain, non-enlisting pool such as HikariCP).
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
        return create(dataSource, null);
    }

    /**
     * As {@link #createEntityManagerFactory(DataSource)}, in a JTA host: through
     * {@code hostTransactions} apilock sees the caller's JTA transactions, keeps its work out of them
     * and releases a lock taken inside one only once it has completed.
     */
    public static EntityManagerFactory createEntityManagerFactory(DataSource dataSource,
                                                                  TransactionManager hostTransactions) {
        if (hostTransactions == null) {
            throw new ApiLockSetupException("TransactionManager must not be null");
        }
        return create(dataSource, hostTransactions);
    }

    private static EntityManagerFactory create(DataSource dataSource, TransactionManager hostTransactions) {
        if (dataSource == null) {
            throw new ApiLockSetupException("DataSource must not be null");
        }
        try {
            HibernatePersistenceConfiguration unit = new HibernatePersistenceConfiguration(PERSISTENCE_UNIT)
                    .managedClass(ApiLockEntity.class)
                    .property(JdbcSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource)
                    .property(SchemaToolingSettings.HBM2DDL_AUTO, "none");
            if (hostTransactions != null) {
                unit.property(TransactionSettings.JTA_PLATFORM, new HostJtaPlatform(hostTransactions));
            }
            // Hibernate's provider itself, not jakarta.persistence.Persistence: a host may restrict
            // the providers Persistence finds (Quarkus admits only its own, build-time units).
            return new HibernatePersistenceProvider().createEntityManagerFactory(unit);
        } catch (RuntimeException e) {
            throw new ApiLockException("Could not create the apilock EntityManagerFactory: " + e.getMessage(), e);
        }
    }
}

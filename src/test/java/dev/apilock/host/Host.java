package dev.apilock.host;

import com.arjuna.ats.arjuna.common.arjPropertyManager;
import com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionSynchronizationRegistryImple;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.apilock.ApiLockPersistence;
import dev.apilock.LockAdmin;
import dev.apilock.LockTemplate;
import dev.apilock.TestDatabase;
import dev.apilock.store.ApiLockEntity;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.agroal.narayana.NarayanaTransactionIntegration;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnitTransactionType;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import java.io.File;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.hibernate.Session;
import org.hibernate.cfg.JdbcSettings;
import org.hibernate.cfg.SchemaToolingSettings;
import org.hibernate.cfg.TransactionSettings;
import org.hibernate.engine.transaction.jta.platform.internal.JBossStandAloneJtaPlatform;
import org.hibernate.engine.transaction.jta.platform.internal.NoJtaPlatform;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;

/**
 * A host application as users build them, on a test database: its own persistence unit holding
 * {@link HostDocument} beside {@link ApiLockEntity}, migrated by its own Liquibase master
 * changelog that includes apilock's, its own pool and its own way of running transactions. Real
 * parts only: HikariCP, Spring's {@code LocalContainerEntityManagerFactoryBean} and
 * {@code JpaTransactionManager}, Narayana and Agroal.
 */
public abstract class Host implements AutoCloseable {

    /** How the host runs transactions, and where apilock's connections come from. */
    public enum Mode {
        /** Plain JPA, resource-local, a pool handing out auto-commit connections. */
        RESOURCE_LOCAL(false),
        /** Plain JPA on a pool with auto-commit off and Hibernate's provider_disables_autocommit. */
        RESOURCE_LOCAL_AUTOCOMMIT_OFF(false),
        /** Spring Boot's way: Spring's EntityManagerFactory bean and JpaTransactionManager. */
        SPRING(true),
        /** The same with auto-commit off in the pool, as the common Hibernate tuning does. */
        SPRING_AUTOCOMMIT_OFF(true),
        /** Quarkus' way: a JTA persistence unit on Agroal with Narayana. */
        JTA(true),
        /** A JTA host whose lock runs on a small pool of its own, seeing the host's transactions. */
        JTA_OWN_POOL(true),
        /** A Spring host whose lock runs on a small pool of its own. */
        SPRING_OWN_POOL(true);

        private final boolean callerVisible;

        Mode(boolean callerVisible) {
            this.callerVisible = callerVisible;
        }

        /** Whether apilock can see the caller's transaction, and so waits for it to complete. */
        public boolean callerVisible() {
            return callerVisible;
        }
    }

    /** A transaction of the caller's, begun on the current thread. */
    public interface CallerTransaction extends AutoCloseable {
        /** The caller's EntityManager in this transaction. */
        EntityManager em();

        void commit();

        void rollback();

        /** Marks the transaction so that it can only roll back, as a failed step does. */
        void setRollbackOnly();

        /** Whether the caller's transaction is still open on this thread. */
        boolean active();

        /** The database session of the caller's own connection in this transaction. */
        default String sessionId() {
            return em().unwrap(Session.class).doReturningWork(TrackedDataSource::sessionId);
        }

        /** Rolls back unless committed. */
        @Override
        default void close() {
            if (active()) {
                rollback();
            }
        }
    }

    final Mode mode;
    final TestDatabase database;
    final TrackedDataSource hostPool;
    TrackedDataSource ownPool;
    private EntityManagerFactory lockUnit;
    final List<AutoCloseable> resources = new ArrayList<>();
    private LockTemplate template;
    private LockAdmin admin;

    Host(Mode mode, TestDatabase database, TrackedDataSource hostPool) {
        this.mode = mode;
        this.database = database;
        this.hostPool = hostPool;
    }

    /** Starts the host with a pool of {@code poolSize} connections and a pool timeout of {@code poolTimeout}. */
    public static Host start(Mode mode, TestDatabase database, int poolSize, Duration poolTimeout) {
        migrate(database);
        return switch (mode) {
            case RESOURCE_LOCAL, RESOURCE_LOCAL_AUTOCOMMIT_OFF -> new PlainJpa(mode, database, poolSize, poolTimeout);
            case SPRING, SPRING_AUTOCOMMIT_OFF, SPRING_OWN_POOL -> new Spring(mode, database, poolSize, poolTimeout);
            case JTA, JTA_OWN_POOL -> new Jta(mode, database, poolSize, poolTimeout);
        };
    }

    private static void migrate(TestDatabase database) {
        try (HikariDataSource pool = hikari(database, 1, Duration.ofSeconds(10), true)) {
            HostApplication.migrate(pool);
        } catch (Exception e) {
            throw new IllegalStateException("Could not migrate the host's schema", e);
        }
    }

    public Mode mode() {
        return mode;
    }

    /** The JTA transaction still associated with the current thread, if any: a test must leave none. */
    public static Object jtaTransactionOnThisThread() {
        try {
            return Jta.NARAYANA.getTransaction();
        } catch (SystemException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The host's own persistence unit. */
    public abstract EntityManagerFactory unit();

    /** Begins a transaction of the caller's on the current thread. */
    public abstract CallerTransaction begin();

    /** apilock as the host wires it: on its own persistence unit, or on a pool of apilock's own. */
    public synchronized LockTemplate template() {
        if (template == null) {
            template = new LockTemplate(lockUnit());
        }
        return template;
    }

    public synchronized LockAdmin admin() {
        if (admin == null) {
            admin = new LockAdmin(lockUnit());
        }
        return admin;
    }

    /** The factory apilock runs on: the host's unit, or apilock's own on its own pool. */
    EntityManagerFactory lockUnit() {
        return lockUnit != null ? lockUnit : unit();
    }

    /** Gives apilock a small pool of its own and the persistence unit {@code factory} makes on it. */
    void useOwnLockPool(Function<DataSource, EntityManagerFactory> factory) {
        HikariDataSource own = hikari(database, 2, Duration.ofSeconds(10), true);
        resources.add(own);
        ownPool = new TrackedDataSource(own);
        lockUnit = factory.apply(ownPool.dataSource());
        resources.add(lockUnit::close);
    }

    public EntityManagerFactory unitForLocks() {
        return lockUnit();
    }

    /** The pool of the host's persistence unit. */
    public TrackedDataSource hostPool() {
        return hostPool;
    }

    /** apilock's own pool, in the modes that have one. */
    public TrackedDataSource ownPool() {
        return ownPool;
    }

    @Override
    public void close() {
        hostPool.stopTracking();
        if (ownPool != null) {
            ownPool.stopTracking();
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("Could not close a host resource: " + e.getMessage());
            }
        }
    }

    static HikariDataSource hikari(TestDatabase database, int size, Duration timeout, boolean autoCommit) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.url());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(Math.max(250, timeout.toMillis()));
        config.setAutoCommit(autoCommit);
        config.setPoolName("host-" + database.kind().name().toLowerCase(Locale.ROOT) + "-" + System.nanoTime());
        return new HikariDataSource(config);
    }

    /** A resource-local unit over {@code pool}, as plain JPA builds it. */
    static EntityManagerFactory plainUnit(DataSource pool, boolean autoCommit) {
        HibernatePersistenceConfiguration unit = new HibernatePersistenceConfiguration("host")
                .managedClass(HostDocument.class)
                .managedClass(ApiLockEntity.class)
                .property(JdbcSettings.JAKARTA_NON_JTA_DATASOURCE, pool)
                // no JTA here, though Hibernate would find the tests' Narayana on the class path
                .property(TransactionSettings.JTA_PLATFORM, NoJtaPlatform.INSTANCE)
                .property(SchemaToolingSettings.HBM2DDL_AUTO, "validate");
        if (!autoCommit) {
            unit.property(JdbcSettings.CONNECTION_PROVIDER_DISABLES_AUTOCOMMIT, true);
        }
        return unit.createEntityManagerFactory();
    }

    /** Plain JPA: the caller's own EntityManager and EntityTransaction, invisible to apilock. */
    static final class PlainJpa extends Host {

        private final EntityManagerFactory unit;

        PlainJpa(Mode mode, TestDatabase database, int poolSize, Duration poolTimeout) {
            this(mode, database, hikari(database, poolSize, poolTimeout, mode == Mode.RESOURCE_LOCAL));
        }

        private PlainJpa(Mode mode, TestDatabase database, HikariDataSource pool) {
            super(mode, database, new TrackedDataSource(pool));
            resources.add(pool);
            this.unit = plainUnit(hostPool.dataSource(), mode == Mode.RESOURCE_LOCAL);
            resources.add(unit::close);
        }

        @Override
        public EntityManagerFactory unit() {
            return unit;
        }

        @Override
        public CallerTransaction begin() {
            EntityManager em = unit.createEntityManager();
            em.getTransaction().begin();
            return new CallerTransaction() {
                @Override
                public EntityManager em() {
                    return em;
                }

                @Override
                public void commit() {
                    try {
                        em.getTransaction().commit();
                    } finally {
                        em.close();
                    }
                }

                @Override
                public void rollback() {
                    try {
                        em.getTransaction().rollback();
                    } finally {
                        em.close();
                    }
                }

                @Override
                public void setRollbackOnly() {
                    em.getTransaction().setRollbackOnly();
                }

                @Override
                public boolean active() {
                    return em.isOpen() && em.getTransaction().isActive();
                }
            };
        }
    }

    /**
     * Spring, as Boot wires it: a {@code LocalContainerEntityManagerFactoryBean} with Hibernate's
     * vendor adapter, a {@code JpaTransactionManager}, and the caller writing through the shared,
     * transaction-bound EntityManager. apilock gets Spring's EntityManagerFactory proxy, as a Boot
     * application's bean would.
     */
    static final class Spring extends Host {

        private final EntityManagerFactory unit;
        private final JpaTransactionManager transactions;
        private final EntityManager shared;

        Spring(Mode mode, TestDatabase database, int poolSize, Duration poolTimeout) {
            this(mode, database, hikari(database, poolSize, poolTimeout, mode != Mode.SPRING_AUTOCOMMIT_OFF));
        }

        private Spring(Mode mode, TestDatabase database, HikariDataSource pool) {
            super(mode, database, new TrackedDataSource(pool));
            resources.add(pool);
            LocalContainerEntityManagerFactoryBean bean = new LocalContainerEntityManagerFactoryBean();
            bean.setDataSource(hostPool.dataSource());
            bean.setPersistenceUnitName("host-spring");
            bean.setManagedTypes(org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes.of(
                    HostDocument.class.getName(), ApiLockEntity.class.getName()));
            bean.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
            Map<String, Object> properties = new HashMap<>();
            properties.put(SchemaToolingSettings.HBM2DDL_AUTO, "validate");
            properties.put(TransactionSettings.JTA_PLATFORM, NoJtaPlatform.INSTANCE);
            if (mode == Mode.SPRING_AUTOCOMMIT_OFF) {
                properties.put(JdbcSettings.CONNECTION_PROVIDER_DISABLES_AUTOCOMMIT, true);
            }
            bean.setJpaPropertyMap(properties);
            bean.afterPropertiesSet();
            resources.add(bean::destroy);
            this.unit = bean.getObject();
            this.transactions = new JpaTransactionManager(unit);
            transactions.afterPropertiesSet();
            this.shared = SharedEntityManagerCreator.createSharedEntityManager(unit);
            if (mode == Mode.SPRING_OWN_POOL) {
                useOwnLockPool(ApiLockPersistence::createEntityManagerFactory);
            }
        }

        @Override
        public EntityManagerFactory unit() {
            return unit;
        }

        @Override
        public CallerTransaction begin() {
            TransactionStatus status = transactions.getTransaction(new DefaultTransactionDefinition());
            return new CallerTransaction() {
                @Override
                public EntityManager em() {
                    return shared;
                }

                @Override
                public void commit() {
                    transactions.commit(status);
                }

                @Override
                public void rollback() {
                    transactions.rollback(status);
                }

                @Override
                public void setRollbackOnly() {
                    status.setRollbackOnly();
                }

                @Override
                public boolean active() {
                    return !status.isCompleted();
                }
            };
        }
    }

    /**
     * JTA as Quarkus runs it: Narayana's transaction manager, an Agroal pool enlisting its
     * connections in the thread's transaction, and a JTA persistence unit whose JtaPlatform is
     * Narayana's. The caller's EntityManager joins the JTA transaction.
     */
    static final class Jta extends Host {

        private static final TransactionManager NARAYANA = narayana();

        private final EntityManagerFactory unit;

        Jta(Mode mode, TestDatabase database, int poolSize, Duration poolTimeout) {
            this(mode, database, agroal(database, poolSize, poolTimeout));
        }

        private Jta(Mode mode, TestDatabase database, AgroalDataSource pool) {
            super(mode, database, new TrackedDataSource(pool));
            resources.add(pool);
            this.unit = new HibernatePersistenceConfiguration("host-jta")
                    .managedClass(HostDocument.class)
                    .managedClass(ApiLockEntity.class)
                    .transactionType(PersistenceUnitTransactionType.JTA)
                    .property(JdbcSettings.JAKARTA_JTA_DATASOURCE, hostPool.dataSource())
                    .property(TransactionSettings.JTA_PLATFORM, new JBossStandAloneJtaPlatform())
                    .property(SchemaToolingSettings.HBM2DDL_AUTO, "validate")
                    .createEntityManagerFactory();
            resources.add(unit::close);
            if (mode == Mode.JTA_OWN_POOL) {
                useOwnLockPool(own -> ApiLockPersistence.createEntityManagerFactory(own, NARAYANA));
            }
        }

        private static TransactionManager narayana() {
            File store = new File("target/narayana-object-store");
            arjPropertyManager.getObjectStoreEnvironmentBean().setObjectStoreDir(store.getAbsolutePath());
            com.arjuna.common.internal.util.propertyservice.BeanPopulator.getNamedInstance(
                    com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean.class, "communicationStore")
                    .setObjectStoreDir(store.getAbsolutePath());
            try {
                arjPropertyManager.getCoreEnvironmentBean().setNodeIdentifier("apilock-tests");
            } catch (com.arjuna.ats.arjuna.common.CoreEnvironmentBeanException e) {
                throw new IllegalStateException(e);
            }
            return com.arjuna.ats.jta.TransactionManager.transactionManager();
        }

        private static AgroalDataSource agroal(TestDatabase database, int poolSize, Duration poolTimeout) {
            AgroalDataSourceConfigurationSupplier configuration = new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(pool -> pool
                            .maxSize(poolSize)
                            .acquisitionTimeout(poolTimeout)
                            .transactionIntegration(new NarayanaTransactionIntegration(NARAYANA,
                                    new TransactionSynchronizationRegistryImple()))
                            .connectionFactoryConfiguration(factory -> factory
                                    .jdbcUrl(database.url())
                                    .principal(new NamePrincipal(database.user()))
                                    .credential(new SimplePassword(database.password()))
                                    .autoCommit(true)));
            try {
                return AgroalDataSource.from(configuration);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public EntityManagerFactory unit() {
            return unit;
        }

        @Override
        public CallerTransaction begin() {
            try {
                NARAYANA.begin();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            EntityManager em = unit.createEntityManager();
            em.joinTransaction();
            return new CallerTransaction() {
                @Override
                public EntityManager em() {
                    return em;
                }

                @Override
                public void commit() {
                    try {
                        NARAYANA.commit();
                    } catch (Exception e) {
                        throw new IllegalStateException("The caller's JTA commit failed", e);
                    } finally {
                        em.close();
                    }
                }

                @Override
                public void rollback() {
                    try {
                        NARAYANA.rollback();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    } finally {
                        em.close();
                    }
                }

                @Override
                public void setRollbackOnly() {
                    try {
                        NARAYANA.setRollbackOnly();
                    } catch (SystemException e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public boolean active() {
                    try {
                        int status = NARAYANA.getStatus();
                        return status == Status.STATUS_ACTIVE || status == Status.STATUS_MARKED_ROLLBACK;
                    } catch (SystemException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
        }
    }
}

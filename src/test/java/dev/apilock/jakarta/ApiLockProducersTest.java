package dev.apilock.jakarta;

import static dev.apilock.jakarta.ApiLockedStartupTest.setupFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apilock.ApiLocked;
import dev.apilock.CurrentLock;
import dev.apilock.LockAdmin;
import dev.apilock.LockCaller;
import dev.apilock.LockCallerResolver;
import dev.apilock.LockInfo;
import dev.apilock.LockOperations;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import dev.apilock.TestDatabase;
import dev.apilock.host.HostDocument;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hibernate.cfg.JdbcSettings;
import org.hibernate.cfg.SchemaToolingSettings;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** apilock's CDI beans: on which persistence unit, once per application, and replaced by the application's own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiLockProducersTest {

    private TestDatabase database;
    private EntityManagerFactory locks;
    private EntityManagerFactory hostOnly;

    @BeforeAll
    void openDatabase() {
        database = TestDatabase.create(TestDatabase.Kind.H2, getClass().getSimpleName());
        locks = database.entityManagerFactory();
        hostOnly = new HibernatePersistenceConfiguration("host-only")
                .managedClass(HostDocument.class)
                .property(JdbcSettings.JAKARTA_NON_JTA_DATASOURCE, database.dataSource(1))
                .property(SchemaToolingSettings.HBM2DDL_AUTO, "none")
                .createEntityManagerFactory();
    }

    @AfterAll
    void closeDatabase() {
        if (hostOnly != null) {
            hostOnly.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void lockOperationsAndLockAdminAreOnTheDefaultUnitOncePerApplication() {
        try (Cdi cdi = Cdi.builder().bean(EntityManagerFactory.class, locks).beans(Locked.class).start()) {
            LockOperations operations = cdi.get(LockOperations.class);
            LockAdmin admin = cdi.get(LockAdmin.class);

            assertThat(operations).isInstanceOf(LockTemplate.class).isSameAs(cdi.get(LockOperations.class));
            assertThat(admin).isSameAs(cdi.get(LockAdmin.class));
            String lockId = cdi.get(Locked.class).lockId();
            assertThat(admin.find(lockId)).map(LockInfo::released).contains(true);
        }
    }

    @Test
    void apilockPersistenceUnitChoosesTheUnitByName() {
        try (Cdi cdi = Cdi.builder()
                .property("apilock.persistence-unit", "apilock")
                .bean(EntityManagerFactory.class, hostOnly)
                .bean(EntityManagerFactory.class, locks, NamedLiteral.of("locks"))
                .beans(Locked.class).start()) {
            String lockId = cdi.get(Locked.class).lockId();

            assertThat(cdi.get(LockAdmin.class).find(lockId)).isPresent();
        }
    }

    @Test
    void anUnknownUnitNameStopsTheStartNamingTheUnitsThereAre() {
        assertThatThrownBy(() -> Cdi.builder()
                .property("apilock.persistence-unit", "locks")
                .bean(EntityManagerFactory.class, hostOnly)
                .bean(EntityManagerFactory.class, locks, NamedLiteral.of("locks")).start())
                .satisfies(failure -> assertThat(setupFailure(failure).getMessage())
                        .startsWith("No persistence unit 'locks' (apilock.persistence-unit)")
                        .contains("host-only").contains("apilock"));
    }

    @Test
    void theApplicationsOwnBeansReplaceApilocksWhichAreThenNeverCreated() {
        // No @Default EntityManagerFactory: apilock's producers would fail if they were called.
        try (Cdi cdi = Cdi.builder().bean(EntityManagerFactory.class, locks, NamedLiteral.of("own"))
                .beans(OwnBeans.class, Locked.class).start()) {
            OwnBeans own = cdi.get(OwnBeans.class);
            String lockId = cdi.get(Locked.class).lockId();

            assertThat(cdi.get(LockOperations.class)).isSameAs(own.operations);
            assertThat(own.callers).containsExactly("resolved for owned");
            assertThat(own.admin.find(lockId)).hasValueSatisfying(info -> {
                assertThat(info.user()).isEqualTo("own-user");
                assertThat(info.referenceId()).isEqualTo("own-reference");
            });
        }
    }

    @ApplicationScoped
    public static class Locked {
        @ApiLocked(value = "owned", maxWait = "5s")
        public String lockId() {
            return CurrentLock.handle().lockId();
        }

        @Produces
        @Dependent
        static LockType owned() {
            return LockType.of("owned", Duration.ofSeconds(30));
        }
    }

    /** What an application declares to use its own factory, template and resolver. */
    @Singleton
    public static class OwnBeans {
        final EntityManagerFactory factory;
        final LockTemplate operations;
        final LockAdmin admin;
        final List<String> callers = new CopyOnWriteArrayList<>();

        @Inject
        OwnBeans(@Named("own") EntityManagerFactory factory) {
            this.factory = factory;
            this.operations = new LockTemplate(factory);
            this.admin = new LockAdmin(factory);
        }

        @Produces
        @Alternative
        @Priority(1)
        LockOperations operations() {
            return operations;
        }

        @Produces
        @Alternative
        @Priority(1)
        LockAdmin admin() {
            return admin;
        }

        @Produces
        @Alternative
        @Priority(1)
        LockCallerResolver callers() {
            return type -> {
                callers.add("resolved for " + type.name());
                return new LockCaller("own-user", "own-reference");
            };
        }
    }
}

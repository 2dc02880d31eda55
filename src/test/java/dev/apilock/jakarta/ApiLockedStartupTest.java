package dev.apilock.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apilock.ApiLockSetupException;
import dev.apilock.ApiLocked;
import dev.apilock.CurrentLock;
import dev.apilock.LockType;
import dev.apilock.TestDatabase;
import dev.apilock.host.HostDocument;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import org.hibernate.cfg.JdbcSettings;
import org.hibernate.cfg.SchemaToolingSettings;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What a starting CDI application checks: the @ApiLocked methods' types, and apilock's own beans. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiLockedStartupTest {

    private TestDatabase database;
    private EntityManagerFactory locks;

    @BeforeAll
    void openDatabase() {
        database = TestDatabase.create(TestDatabase.Kind.H2, getClass().getSimpleName());
        locks = database.entityManagerFactory();
    }

    @AfterAll
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void anUnknownTypeStopsTheStartNamingTheMethod() {
        assertThatThrownBy(() -> start(Cdi.builder().beans(UnknownType.class)))
                .satisfies(failure -> assertThat(setupFailure(failure)).hasMessage(
                        "Unknown lock type 'no_such_type' in @ApiLocked on " + UnknownType.class.getName()
                                + ".publish(String): declare it (e.g. apilock.types.no_such_type.expires=60s, or a"
                                + " LockType bean); declared are [configdocs_update]"));
    }

    @Test
    void anUnknownTypeOnTheClassNamesEveryMethodItLocks() {
        assertThatThrownBy(() -> start(Cdi.builder().beans(UnknownOnClass.class)))
                .satisfies(failure -> assertThat(setupFailure(failure).getMessage())
                        .contains(UnknownOnClass.class.getName() + ".first()")
                        .contains(UnknownOnClass.class.getName() + ".second(int)"));
    }

    @Test
    void aMalformedWaitStopsTheStart() {
        assertThatThrownBy(() -> start(Cdi.builder().beans(MalformedWait.class)))
                .satisfies(failure -> assertThat(setupFailure(failure).getMessage())
                        .startsWith("Malformed maxWait 'a while' in @ApiLocked on " + MalformedWait.class.getName()));
    }

    @Test
    void typesComeFromPropertiesAndLockTypeBeansBesideTheBuiltInOne() {
        try (Cdi cdi = start(Cdi.builder()
                .property("apilock.types.report.expires", "5m")
                .property("apilock.types.report.keep-alive", "true")
                .beans(DeclaredTypes.class, ExportType.class))) {
            DeclaredTypes beans = cdi.get(DeclaredTypes.class);

            assertThat(beans.report()).isEqualTo(LockType.of("report", Duration.ofMinutes(5)).withKeepAlive());
            assertThat(beans.export()).isEqualTo(ExportType.EXPORT);
            assertThat(beans.exportKeptAlive()).isEqualTo(ExportType.EXPORT.withKeepAlive());
            assertThat(beans.configdocs()).isEqualTo(LockType.CONFIGDOCS_UPDATE);
        }
    }

    @Test
    void aTypeDeclaredTwiceDifferentlyStopsTheStart() {
        assertThatThrownBy(() -> start(Cdi.builder().property("apilock.types.export.expires", "10s")
                .beans(ExportType.class)))
                .satisfies(failure -> assertThat(setupFailure(failure).getMessage())
                        .startsWith("Lock type export is declared twice, differently"));
    }

    @Test
    void aMalformedPropertyStopsTheStart() {
        assertThatThrownBy(() -> start(Cdi.builder().property("apilock.types.report.expires", "five minutes")))
                .satisfies(failure -> assertThat(setupFailure(failure).getMessage())
                        .contains("apilock.types.report.expires"));
    }

    @Test
    void aUnitWithoutApilocksEntityStopsTheStartEvenWithoutLockedMethods() {
        EntityManagerFactory hostOnly = new HibernatePersistenceConfiguration("host-only")
                .managedClass(HostDocument.class)
                .property(JdbcSettings.JAKARTA_NON_JTA_DATASOURCE, database.dataSource(1))
                .property(SchemaToolingSettings.HBM2DDL_AUTO, "none")
                .createEntityManagerFactory();
        try {
            assertThatThrownBy(() -> Cdi.builder().bean(EntityManagerFactory.class, hostOnly).start())
                    .satisfies(failure -> assertThat(setupFailure(failure).getMessage())
                            .contains("dev.apilock.store.ApiLockEntity"));
        } finally {
            hostOnly.close();
        }
    }

    @Test
    void withoutAnEntityManagerFactoryTheStartSaysWhatToDo() {
        assertThatThrownBy(() -> Cdi.builder().start())
                .satisfies(failure -> assertThat(setupFailure(failure).getMessage())
                        .startsWith("No @Default EntityManagerFactory bean for apilock")
                        .contains("apilock.persistence-unit"));
    }

    private Cdi start(Cdi.Builder builder) {
        return builder.bean(EntityManagerFactory.class, locks).start();
    }

    /** The ApiLockSetupException that stopped the start, however the container wrapped it. */
    static ApiLockSetupException setupFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiLockSetupException setup) {
                return setup;
            }
        }
        throw new AssertionError("No ApiLockSetupException in " + failure, failure);
    }

    @ApplicationScoped
    public static class UnknownType {
        @ApiLocked("no_such_type")
        public void publish(String document) {
        }
    }

    @ApplicationScoped
    @ApiLocked("no_such_class_type")
    public static class UnknownOnClass {
        public void first() {
        }

        void second(int count) {
        }
    }

    @ApplicationScoped
    public static class MalformedWait {
        @ApiLocked(value = "configdocs_update", maxWait = "a while")
        public void update() {
        }
    }

    @Dependent
    public static class ExportType {
        static final LockType EXPORT = LockType.of("export", Duration.ofSeconds(30));

        @Produces
        LockType export() {
            return EXPORT;
        }
    }

    @ApplicationScoped
    public static class DeclaredTypes {
        @ApiLocked("report")
        public LockType report() {
            return type();
        }

        @ApiLocked("export")
        public LockType export() {
            return type();
        }

        @ApiLocked(value = "export", keepAlive = true)
        public LockType exportKeptAlive() {
            return type();
        }

        @ApiLocked("configdocs_update")
        public LockType configdocs() {
            return type();
        }

        private static LockType type() {
            return CurrentLock.handle().type();
        }
    }
}

package dev.apilock.host;

import dev.apilock.store.ApiLockEntity;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.util.Map;
import javax.sql.DataSource;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.hibernate.cfg.JdbcSettings;
import org.hibernate.cfg.SchemaToolingSettings;
import org.hibernate.jpa.HibernatePersistenceConfiguration;

/**
 * What a host application does: runs Liquibase on its own master changelog, which includes
 * apilock's, and builds its own persistence unit with {@link ApiLockEntity} beside its entities.
 * Hibernate validates both mappings against the migrated schema.
 */
public final class HostApplication {

    public static final String MASTER_CHANGELOG = "host/host-changelog.xml";

    private HostApplication() {
    }

    public static void migrate(DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Map<String, Object> scope = Map.of(
                    Scope.Attr.resourceAccessor.name(), new ClassLoaderResourceAccessor(),
                    "liquibase.analytics.enabled", Boolean.FALSE);
            Scope.child(scope, () -> new CommandScope(UpdateCommandStep.COMMAND_NAME)
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                    .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, MASTER_CHANGELOG)
                    .execute());
        }
    }

    public static EntityManagerFactory persistenceUnit(DataSource dataSource) {
        return new HibernatePersistenceConfiguration("host")
                .managedClass(HostDocument.class)
                .managedClass(ApiLockEntity.class)
                .property(JdbcSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource)
                .property(SchemaToolingSettings.HBM2DDL_AUTO, "validate")
                .createEntityManagerFactory();
    }
}

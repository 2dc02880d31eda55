package dev.apilock.spring;

import dev.apilock.ApiLockException;
import dev.apilock.ApiLockSchema;
import dev.apilock.ApiLockSetupException;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;

/**
 * Checks at startup that apilock's tables exist, so that a forgotten changelog include fails the
 * application instead of its first lock. Reads the database's metadata only: no statement that
 * could leave a transaction open or aborted on a connection with auto-commit off.
 */
final class ApiLockTables {

    static final List<String> TABLES = List.of("api_locks", "api_lock_holders");

    private ApiLockTables() {
    }

    static void check(EntityManagerFactory entityManagerFactory, String where) {
        List<String> missing;
        try (StatelessSession session = entityManagerFactory.unwrap(SessionFactory.class).openStatelessSession()) {
            missing = session.doReturningWork(ApiLockTables::missing);
        } catch (RuntimeException e) {
            throw new ApiLockException("Could not check apilock's tables on " + where + ": " + e.getMessage(), e);
        }
        if (!missing.isEmpty()) {
            throw new Missing(missing, where);
        }
    }

    private static List<String> missing(Connection connection) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        List<String> missing = new ArrayList<>();
        for (String table : TABLES) {
            String name = metaData.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
            try (ResultSet found = metaData.getTables(connection.getCatalog(), connection.getSchema(), name, null)) {
                if (!found.next()) {
                    missing.add(table);
                }
            }
        }
        return missing;
    }

    /** apilock's tables are not in the database: its changelog was not applied there. */
    static final class Missing extends ApiLockSetupException {

        private static final long serialVersionUID = 1L;

        private final List<String> tables;

        Missing(List<String> tables, String where) {
            super("apilock's tables " + tables + " are missing in the database of " + where
                    + ": include " + ApiLockSchema.CHANGELOG + " in your Liquibase master changelog");
            this.tables = List.copyOf(tables);
        }

        List<String> tables() {
            return tables;
        }
    }
}

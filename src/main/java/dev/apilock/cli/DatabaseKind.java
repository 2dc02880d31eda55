package dev.apilock.cli;

import java.util.Locale;
import java.util.Optional;

/** The databases the command line works on, told apart by their JDBC URL alone. */
enum DatabaseKind {

    H2("jdbc:h2:", "h2", "H2"),
    POSTGRESQL("jdbc:postgresql:", "postgresql", "PostgreSQL"),
    MARIADB("jdbc:mariadb:", "mariadb", "MariaDB");

    private final String urlPrefix;
    private final String liquibaseName;
    private final String productName;

    DatabaseKind(String urlPrefix, String liquibaseName, String productName) {
        this.urlPrefix = urlPrefix;
        this.liquibaseName = liquibaseName;
        this.productName = productName;
    }

    static Optional<DatabaseKind> of(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        for (DatabaseKind kind : values()) {
            if (lower.startsWith(kind.urlPrefix)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** As a changelog's {@code dbms} attribute names it. */
    String liquibaseName() {
        return liquibaseName;
    }

    /** As {@code DatabaseMetaData.getDatabaseProductName()} names it, which is how Hibernate picks its dialect. */
    String productName() {
        return productName;
    }
}

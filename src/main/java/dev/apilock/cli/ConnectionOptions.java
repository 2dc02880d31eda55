package dev.apilock.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Where the locks live. Declared once on the top command and inherited by every command, so they
 * may stand before or after the command name. Environment variables give the defaults.
 */
final class ConnectionOptions {

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "JDBC_URL", defaultValue = "${env:APILOCK_URL}",
            description = "JDBC URL of a PostgreSQL, MariaDB or H2 database (env APILOCK_URL). "
                    + "Default: an embedded H2 database in ./.apilock/, shared by every process on this machine.")
    String url;

    @Option(names = "--db-user", scope = ScopeType.INHERIT, paramLabel = "USER",
            defaultValue = "${env:APILOCK_DB_USER}",
            description = "Database user (env APILOCK_DB_USER). Default: sa for the embedded database.")
    String user;

    @Option(names = "--db-password", scope = ScopeType.INHERIT, paramLabel = "PASSWORD",
            defaultValue = "${env:APILOCK_DB_PASSWORD}",
            description = "Database password (env APILOCK_DB_PASSWORD, which keeps it out of the process list).")
    String password;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log what happens (Hibernate, Liquibase, apilock) and show stack traces on errors.")
    boolean verbose;
}

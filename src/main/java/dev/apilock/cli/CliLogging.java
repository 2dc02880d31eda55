package dev.apilock.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Logging for the command line: quiet unless {@code --verbose}. Everything goes to stderr, never
 * to stdout, which belongs to the command's output (and to the child's, for {@code run}).
 * Must run before the first logger is created.
 */
final class CliLogging {

    private CliLogging() {
    }

    static void configure(boolean verbose) {
        // Hibernate through SLF4J, like apilock; SLF4J's simple binding writes to stderr.
        System.setProperty("org.jboss.logging.provider", "slf4j");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        // Hibernate's start-up report shows the driver's URL, password parameters and all.
        System.setProperty("org.slf4j.simpleLogger.log.org.hibernate.orm.connections.pooling", "warn");
        if (verbose) {
            System.setProperty("org.slf4j.simpleLogger.log.dev.apilock", "debug");
        } else {
            // Failures reach the user as one line from the command; Hibernate would add stack traces.
            System.setProperty("org.slf4j.simpleLogger.log.org.hibernate", "off");
            // MariaDB's driver logs every error the server sends, such as the schema check's on a new database.
            System.setProperty("org.slf4j.simpleLogger.log.org.mariadb.jdbc", "off");
            // The commands print what LockAdmin logs about a forced release themselves.
            System.setProperty("org.slf4j.simpleLogger.log.dev.apilock.LockAdmin", "error");
        }
        // Liquibase logs through java.util.logging: silent unless verbose.
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        if (verbose) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL [%4$s] %3$s - %5$s%6$s%n");
            ConsoleHandler handler = new ConsoleHandler();
            handler.setFormatter(new SimpleFormatter());
            handler.setLevel(Level.INFO);
            root.addHandler(handler);
            root.setLevel(Level.INFO);
        } else {
            root.setLevel(Level.OFF);
        }
    }
}

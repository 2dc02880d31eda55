package dev.apilock.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * A lock library under test on one database: its own table and connection pool, and clients
 * standing for application instances.
 */
interface Contender extends AutoCloseable {

    /** Name in the report. */
    String name();

    /** The library's table, for the write counters. */
    String table();

    /** Every table the library writes, for the write counters. */
    default List<String> tables() {
        return List.of(table());
    }

    /** The library's pool, for its {@link BenchDatabase#roundTrips round trips}. */
    DataSource pool();

    /** A new application instance: its own lock client on the shared pool. */
    LockClient client(int instance);

    /**
     * Adds history rows {@code from}..{@code to} (inclusive) in bulk, consistent with the
     * library's schema. {@code sameType} rows are of {@code type}; other rows are of many other
     * types. A library without history (one row per name) only takes other names.
     */
    void loadHistory(Connection connection, long from, long to, String type, boolean sameType) throws SQLException;

    /**
     * Throws if the history of {@code type} is not as the library would have left it, e.g. a
     * token that new acquisitions would not exceed. Nothing to check by default.
     */
    default void checkHistory(Connection connection, String type) throws SQLException {
    }

    /** Removes the bulk-loaded history and whatever the benchmark added to it. */
    void clearHistory(Connection connection) throws SQLException;

    /** Whether the library keeps rows of a name's past acquisitions at all. */
    default boolean keepsHistory() {
        return false;
    }

    @Override
    void close();
}

package dev.apilock;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Plain-SQL views of {@code api_locks} for assertions, independent of the code under test. */
public final class LockTable {

    private final TestDatabase database;

    public LockTable(TestDatabase database) {
        this.database = database;
    }

    public long count() {
        return queryLong("SELECT COUNT(*) FROM api_locks");
    }

    public long count(String where, Object... parameters) {
        return queryLong("SELECT COUNT(*) FROM api_locks WHERE " + where, parameters);
    }

    /** Every row of both tables, as text: two equal snapshots mean nothing was written. */
    public List<String> snapshot() {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            for (String query : List.of("SELECT * FROM api_locks ORDER BY id",
                    "SELECT * FROM api_lock_holders ORDER BY lock_type")) {
                try (ResultSet rs = statement.executeQuery(query)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            row.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
                        }
                        rows.add(row.toString());
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    /**
     * The history is consistent, and agrees with the holder rows. Every row has a fencing token,
     * unique within its type; released rows have a release time and reason and unreleased ones have
     * neither; no type has more than one unreleased row. By the database clock, no row expires or is
     * released before it was acquired, and no row was reclaimed as EXPIRED before its expiry. Every
     * type's holder row has the type's highest token and agrees with its acquisition's history row
     * (released, expiry, token); an unreleased history row is always its type's holder.
     */
    public void assertConsistent() {
        assertTimesInOrder();
        assertThat(count("fencing_token IS NULL")).as("rows without a fencing token").isZero();
        assertThat(queryLong("SELECT COUNT(*) FROM (SELECT lock_type, fencing_token FROM api_locks"
                + " GROUP BY lock_type, fencing_token HAVING COUNT(*) > 1) t"))
                .as("fencing tokens repeated within a type").isZero();
        assertThat(queryLong("SELECT COUNT(*) FROM api_locks l WHERE NOT released AND NOT EXISTS"
                + " (SELECT 1 FROM api_lock_holders h WHERE h.lock_id = l.id AND NOT h.released)"))
                .as("unreleased history rows that are not their type's holder").isZero();
        assertThat(queryLong("SELECT COUNT(*) FROM api_lock_holders h JOIN api_locks l ON l.id = h.lock_id"
                + " WHERE h.released <> l.released OR h.fencing_token <> l.fencing_token OR h.lock_type <> l.lock_type"
                + " OR h.expires_at <> l.expires_at OR h.acquired_at <> l.acquired_at"))
                .as("holder rows that disagree with their history row").isZero();
        assertThat(queryLong("SELECT COUNT(*) FROM api_lock_holders h WHERE h.fencing_token <"
                + " (SELECT MAX(fencing_token) FROM api_locks l WHERE l.lock_type = h.lock_type)"))
                .as("holder rows below their type's highest token").isZero();
        assertThat(count("released AND (released_at IS NULL OR release_reason IS NULL)"))
                .as("released rows without time or reason").isZero();
        assertThat(count("NOT released AND (released_at IS NOT NULL OR release_reason IS NOT NULL)"))
                .as("unreleased rows with a release time or reason").isZero();
        assertThat(queryLong("SELECT COUNT(*) FROM (SELECT lock_type FROM api_locks WHERE NOT released"
                + " GROUP BY lock_type HAVING COUNT(*) > 1) t")).as("types with two unreleased rows").isZero();
    }

    private void assertTimesInOrder() {
        List<String> violations = new ArrayList<>();
        try (Connection connection = database.connect();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(
                     "SELECT id, acquired_at, expires_at, released_at, release_reason FROM api_locks")) {
            while (rs.next()) {
                Instant acquired = rs.getTimestamp(2).toInstant();
                Instant expires = rs.getTimestamp(3).toInstant();
                Timestamp releasedAt = rs.getTimestamp(4);
                Instant released = releasedAt == null ? null : releasedAt.toInstant();
                if (!expires.isAfter(acquired)) {
                    violations.add(rs.getString(1) + " expires at " + expires + ", not after its acquisition " + acquired);
                }
                if (released != null && released.isBefore(acquired)) {
                    violations.add(rs.getString(1) + " released at " + released + ", before its acquisition " + acquired);
                }
                if ("EXPIRED".equals(rs.getString(5)) && released.isBefore(expires)) {
                    violations.add(rs.getString(1) + " reclaimed at " + released + ", before its expiry " + expires);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(violations).as("rows whose times are out of order").isEmpty();
    }

    public long queryLong(String sql, Object... parameters) {
        try (Connection connection = database.connect();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public void execute(String sql, Object... parameters) {
        try (Connection connection = database.connect();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}

package dev.apilock.cli;

import dev.apilock.ApiLockException;
import dev.apilock.ApiLockSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.sql.Timestamp;
import javax.sql.DataSource;

/**
 * Whether the schema needs migrating, cheaply: running Liquibase on every command would take its
 * lock each time, and a command killed while holding it would stall every later one.
 */
final class SchemaCheck {

    private SchemaCheck() {
    }

    /**
     * The table exists and no migration is under way. The table is only ever created while
     * Liquibase holds its lock, so a process that finds another one still migrating migrates too:
     * Liquibase makes it wait for that migration and then finds nothing left to do.
     */
    static boolean isReady(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 1 FROM api_locks WHERE 1 = 0").close();
            try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM DATABASECHANGELOGLOCK WHERE LOCKED = TRUE")) {
                return rs.next() && rs.getLong(1) == 0;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** What the changelog has applied: the number of apilock change sets and the last one. */
    record Version(int changeSets, String lastId, Instant lastAppliedAt) {
    }

    static Version version(DataSource dataSource) {
        String sql = "SELECT ID, DATEEXECUTED, (SELECT COUNT(*) FROM DATABASECHANGELOG WHERE FILENAME = ?)"
                + " FROM DATABASECHANGELOG WHERE FILENAME = ? ORDER BY ORDEREXECUTED DESC";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, ApiLockSchema.CHANGELOG);
            statement.setString(2, ApiLockSchema.CHANGELOG);
            statement.setMaxRows(1);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return new Version(0, null, null);
                }
                Timestamp applied = rs.getTimestamp(2);
                return new Version(rs.getInt(3), rs.getString(1), applied == null ? null : applied.toInstant());
            }
        } catch (SQLException e) {
            throw new ApiLockException("Could not read the schema version from DATABASECHANGELOG: " + e.getMessage(), e);
        }
    }
}

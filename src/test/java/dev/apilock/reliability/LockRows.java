package dev.apilock.reliability;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain-SQL reads of the lock rows of one type, for comparing with what the processes saw. */
final class LockRows {

    private LockRows() {
    }

    static Map<String, Long> tokensById(ReliabilityDatabase database, String type) {
        Map<String, Long> tokens = new LinkedHashMap<>();
        query(database, "SELECT id, fencing_token FROM api_locks WHERE lock_type = ? ORDER BY fencing_token", type,
                rs -> tokens.put(rs.getString(1), rs.getLong(2)));
        return tokens;
    }

    /**
     * Successive holders (by fencing token) whose acquisition time by the database clock went
     * backwards; equal times are not a violation.
     */
    static List<String> clockOrderViolations(ReliabilityDatabase database, String type) {
        List<String> rows = new ArrayList<>();
        List<java.time.Instant> times = new ArrayList<>();
        query(database, "SELECT id, fencing_token, acquired_at, released_at FROM api_locks WHERE lock_type = ?"
                + " ORDER BY fencing_token", type, rs -> {
                    rows.add(rs.getString(1) + " token " + rs.getLong(2) + " acquired " + rs.getString(3)
                            + " released " + rs.getString(4));
                    times.add(rs.getObject(3, java.time.OffsetDateTime.class).toInstant());
                });
        List<String> violations = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            if (times.get(i).isBefore(times.get(i - 1))) {
                violations.add(rows.get(i - 1) + " then " + rows.get(i));
            }
        }
        return violations;
    }

    /** Ids in the order of the database clock at acquisition (ties by id, as the lock's own check). */
    static List<String> idsByAcquiredAt(ReliabilityDatabase database, String type) {
        List<String> ids = new ArrayList<>();
        query(database, "SELECT id FROM api_locks WHERE lock_type = ? ORDER BY acquired_at, id", type,
                rs -> ids.add(rs.getString(1)));
        return ids;
    }

    static List<String> idsByToken(ReliabilityDatabase database, String type) {
        List<String> ids = new ArrayList<>();
        query(database, "SELECT id FROM api_locks WHERE lock_type = ? ORDER BY fencing_token", type,
                rs -> ids.add(rs.getString(1)));
        return ids;
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private static void query(ReliabilityDatabase database, String sql, String type, RowReader reader) {
        try (Connection connection = database.testDatabase().connect();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, type);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}

package com.example.configdocs;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The application's database read with plain JDBC on a connection of its own, outside the
 * application's pool and transactions: what every other instance would see.
 */
final class Database {

    record DocumentRow(String content, long revision, long fencingToken) {
    }

    record LockRow(String id, String user, String reference, boolean released, String releaseReason,
                   Instant expiresAt, long fencingToken) {
    }

    record ChangeRow(long revision, long fencingToken, String lockId) {
    }

    private Database() {
    }

    static Optional<DocumentRow> document(String name) {
        return query("SELECT content, revision, fencing_token FROM config_documents WHERE name = ?", name,
                rs -> new DocumentRow(rs.getString(1), rs.getLong(2), rs.getLong(3))).stream().findFirst();
    }

    private static final String LOCK_COLUMNS =
            "SELECT id, locked_by, reference_id, released, release_reason, expires_at, fencing_token FROM api_locks";

    /** The lock rows taken for one request id (reference): one per acquisition. */
    static List<LockRow> locksFor(String referenceId) {
        return query(LOCK_COLUMNS + " WHERE reference_id = ? ORDER BY fencing_token", referenceId, Database::lockRow);
    }

    /** The lock row of one acquisition. */
    static LockRow lock(String lockId) {
        return query(LOCK_COLUMNS + " WHERE id = ?", lockId, Database::lockRow).stream().findFirst()
                .orElseThrow(() -> new AssertionError("No lock row " + lockId));
    }

    private static LockRow lockRow(ResultSet rs) throws SQLException {
        return new LockRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getString(5),
                rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getLong(7));
    }

    static LockRow lockFor(String referenceId) {
        List<LockRow> rows = locksFor(referenceId);
        if (rows.size() != 1) {
            throw new AssertionError("Expected one lock row for reference " + referenceId + ", found " + rows);
        }
        return rows.get(0);
    }

    /** The audit rows of a document, by revision. */
    static List<ChangeRow> changesOf(String documentName) {
        return query("SELECT revision, fencing_token, lock_id FROM config_document_changes"
                        + " WHERE document_name = ? ORDER BY revision, id", documentName,
                rs -> new ChangeRow(rs.getLong(1), rs.getLong(2), rs.getString(3)));
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> query(String sql, String parameter, RowMapper<T> mapper) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + sql, e);
        }
    }

    private static Connection connect() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getOptionalValue("quarkus.datasource.username", String.class).orElse(null),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(null));
    }
}

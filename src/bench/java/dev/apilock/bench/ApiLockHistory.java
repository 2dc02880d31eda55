package dev.apilock.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Bulk history for apilock's tables, as apilock would have left it: released rows of
 * {@code api_locks} with fencing tokens, and holder rows in {@code api_lock_holders} whose tokens
 * are above those of their type's rows, so that new acquisitions count up from there.
 */
final class ApiLockHistory {

    /** Past acquisitions of other types spread over this many type names. */
    static final int OTHER_TYPES = 10_000;

    /**
     * Rows of {@code api_locks} as apilock leaves them: released, with a fencing token. Formatted
     * with the type, the token and the first and last row number {@code g}; row {@code g} was
     * acquired at 2020-01-01 plus {@code g} × 100 ms, so its id and time grow with {@code g}.
     */
    private static final String HISTORY_POSTGRES = """
            INSERT INTO api_locks (id, lock_type, acquired_at, expires, expires_at, released, released_at,
                                   release_reason, locked_by, reference_id, fencing_token)
            SELECT lpad(g::text, 26, '0'), %1$s, t, 60, t + INTERVAL '60 seconds', TRUE, t + INTERVAL '50 milliseconds',
                   'RELEASED', 'history', 'history-' || g, %2$s
              FROM generate_series(%3$d::bigint, %4$d::bigint) g,
                   LATERAL (SELECT TIMESTAMPTZ '2020-01-01 00:00:00+00' + g * INTERVAL '100 milliseconds' AS t) at""";

    private static final String HISTORY_H2 = """
            INSERT INTO api_locks (id, lock_type, acquired_at, expires, expires_at, released, released_at,
                                   release_reason, locked_by, reference_id, fencing_token)
            SELECT LPAD(CAST(g AS VARCHAR), 26, '0'), %1$s,
                   DATEADD(MILLISECOND, g * 100, TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00+00'), 60,
                   DATEADD(MILLISECOND, g * 100 + 60000, TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00+00'), TRUE,
                   DATEADD(MILLISECOND, g * 100 + 50, TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00+00'),
                   'RELEASED', 'history', 'history-' || CAST(g AS VARCHAR), %2$s
              FROM (SELECT X AS g FROM SYSTEM_RANGE(%3$d, %4$d)) s""";

    /** MariaDB's DATETIME(6) columns hold UTC; the rows come from its SEQUENCE engine. */
    private static final String HISTORY_MARIADB = """
            INSERT INTO api_locks (id, lock_type, acquired_at, expires, expires_at, released, released_at,
                                   release_reason, locked_by, reference_id, fencing_token)
            SELECT LPAD(g, 26, '0'), %1$s, TIMESTAMP '2020-01-01 00:00:00' + INTERVAL (g * 100000) MICROSECOND, 60,
                   TIMESTAMP '2020-01-01 00:00:00' + INTERVAL (g * 100000 + 60000000) MICROSECOND, TRUE,
                   TIMESTAMP '2020-01-01 00:00:00' + INTERVAL (g * 100000 + 50000) MICROSECOND,
                   'RELEASED', 'history', CONCAT('history-', g), %2$s
              FROM (SELECT seq AS g FROM seq_%3$d_to_%4$d) s""";

    /**
     * Room below the tokens of a type's own acquisitions for {@code ?} bulk rows, which are older:
     * its rows and its holder row count up by as many. The bulk rows then take 1, 2, ...
     */
    private static final String SHIFT_TOKENS = """
            UPDATE api_locks SET fencing_token = fencing_token + ? WHERE lock_type = ? AND locked_by <> 'history'""";

    private static final String SHIFT_HOLDER = """
            UPDATE api_lock_holders SET fencing_token = fencing_token + ? WHERE lock_type = ?""";

    /** A type's holder row, where it has none yet: its latest bulk row's, released. */
    private static final String HOLDER_FROM_ROW = """
            INSERT INTO api_lock_holders (lock_type, lock_id, fencing_token, acquired_at, expires_at, released,
                                          locked_by, reference_id)
            SELECT lock_type, id, fencing_token, acquired_at, expires_at, TRUE, locked_by, reference_id
              FROM api_locks WHERE id = ?""";

    /**
     * The holder rows of the other types, from their latest bulk rows: the last {@link #OTHER_TYPES}
     * row numbers, one of each type (ids are zero-padded row numbers, so they sort as numbers).
     */
    private static final String OTHER_HOLDERS = """
            INSERT INTO api_lock_holders (lock_type, lock_id, fencing_token, acquired_at, expires_at, released,
                                          locked_by, reference_id)
            SELECT lock_type, id, fencing_token, acquired_at, expires_at, TRUE, locked_by, reference_id
              FROM api_locks WHERE locked_by = 'history' AND id BETWEEN ? AND ?""";

    private static final String CHECK = """
            SELECT (SELECT fencing_token FROM api_lock_holders WHERE lock_type = ?),
                   MAX(CASE WHEN locked_by = 'history' THEN fencing_token END),
                   MIN(CASE WHEN locked_by <> 'history' THEN fencing_token END), MAX(fencing_token)
              FROM api_locks WHERE lock_type = ?""";

    private static final String OTHER_TYPE_HOLDERS = "lock_type LIKE 'history-%'";

    private final BenchDatabase database;

    ApiLockHistory(BenchDatabase database) {
        this.database = database;
    }

    /**
     * Same type: rows numbered {@code g} get token {@code g}, below every token of the type's own
     * acquisitions (moved up to make room) and of its holder row (which is created if the type has
     * none), so that new acquisitions count on from there. Other types: type
     * {@code history-(g mod OTHER_TYPES)}, tokens counting up per type, and a holder row for each
     * type naming its latest row.
     */
    void load(Connection connection, long from, long to, String type, boolean sameType)
            throws SQLException {
        String typeColumn = sameType ? "?"
                : database.pick("'history-' || (g % " + OTHER_TYPES + ")",
                        "CONCAT('history-', g MOD " + OTHER_TYPES + ")",
                        "'history-' || CAST(MOD(g, " + OTHER_TYPES + ") AS VARCHAR)");
        String token = sameType ? "g" : database.pick("(g - 1) / " + OTHER_TYPES + " + 1",
                "(g - 1) DIV " + OTHER_TYPES + " + 1", "(g - 1) / " + OTHER_TYPES + " + 1");
        String sql = database.pick(HISTORY_POSTGRES, HISTORY_MARIADB, HISTORY_H2).formatted(typeColumn, token, from, to);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            if (sameType) {
                update(connection, SHIFT_TOKENS, to - from + 1, type);
                int holders = update(connection, SHIFT_HOLDER, to - from + 1, type);
                update(connection, sql, type);
                if (holders == 0) {
                    update(connection, HOLDER_FROM_ROW, id(to));
                }
            } else {
                update(connection, sql);
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate("DELETE FROM api_lock_holders WHERE " + OTHER_TYPE_HOLDERS);
                }
                update(connection, OTHER_HOLDERS, id(Math.max(1, to - OTHER_TYPES + 1)), id(to));
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Every token of the type below its holder row's, which the next acquisition counts up from,
     * and the bulk rows' tokens below those of the type's own acquisitions, which are later.
     */
    void check(Connection connection, String type) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(CHECK)) {
            statement.setString(1, type);
            statement.setString(2, type);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                Object holder = rs.getObject(1);
                long bulkMax = rs.getLong(2);
                long ownMin = rs.getLong(3);
                boolean anyOwn = rs.getObject(3) != null;
                boolean anyRow = rs.getObject(4) != null;
                if (anyRow && (holder == null || rs.getLong(4) > rs.getLong(1)) || anyOwn && bulkMax >= ownMin) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "inconsistent history of %s:"
                                    + " holder token %s, bulk tokens up to %d, own tokens %d..%d", type,
                            holder, bulkMax, ownMin, rs.getLong(4)));
                }
            }
        }
    }

    /** The id of bulk row {@code g}. */
    private static String id(long g) {
        return String.format("%026d", g);
    }

    private static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    /** The bulk rows and the other types' holder rows; the history of real acquisitions stays. */
    void clear(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM api_locks WHERE locked_by = 'history'");
            statement.executeUpdate("DELETE FROM api_lock_holders WHERE " + OTHER_TYPE_HOLDERS);
        }
    }
}

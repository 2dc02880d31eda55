package dev.apilock.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apilock.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * On H2 the acquisition's "latest active lock" check must find the type's one unreleased row
 * through the unique index, not walk the type's history: otherwise every acquisition slows down
 * with every earlier one. Checked through H2's own plan and row count, not by timing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class H2LatestLookupTest {

    private static final int HISTORY = 2_000;

    /** H2 prints {@code scanCount: n} for each table it reads in an EXPLAIN ANALYZE plan. */
    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");

    private TestDatabase database;

    @BeforeAll
    void open() throws SQLException {
        database = TestDatabase.create(TestDatabase.Kind.H2, "latest");
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("""
                    INSERT INTO api_locks (id, lock_type, active_type, acquired_at, expires, expires_at, released,
                                           released_at, release_reason, locked_by, reference_id, fencing_token)
                    SELECT LPAD(CAST(X AS VARCHAR), 26, '0'), 'busy', NULL,
                           DATEADD(SECOND, X, TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00+00'), 60,
                           DATEADD(SECOND, X + 60, TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00+00'), TRUE,
                           DATEADD(SECOND, X + 1, TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00+00'), 'RELEASED',
                           'history', 'h-' || CAST(X AS VARCHAR), NEXT VALUE FOR api_locks_fencing_seq
                      FROM SYSTEM_RANGE(1, %d)""".formatted(HISTORY));
            statement.executeUpdate("""
                    INSERT INTO api_locks (id, lock_type, active_type, expires, expires_at, locked_by, reference_id,
                                           fencing_token)
                    VALUES ('01ZZZZZZZZZZZZZZZZZZZZZZZZ', 'busy', 'busy', 60,
                            DATEADD(SECOND, 60, CURRENT_TIMESTAMP), 'holder', 'now',
                            NEXT VALUE FOR api_locks_fencing_seq)""");
        }
    }

    @AfterAll
    void close() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void latestActiveLockIsFoundThroughTheUniqueIndexWithoutReadingHistory() throws SQLException {
        try (Connection connection = database.connect();
             PreparedStatement statement = connection.prepareStatement("EXPLAIN ANALYZE " + H2LockSql.LATEST)) {
            statement.setString(1, "busy");
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                String plan = rs.getString(1);
                assertThat(plan).containsIgnoringCase("UX_API_LOCKS_ONE_ACTIVE");
                assertThat(scanCount(plan)).as("rows read in " + plan).isLessThan(10);
            }
        }
    }

    @Test
    void latestActiveLockIsTheUnreleasedRow() throws SQLException {
        try (Connection connection = database.connect();
             PreparedStatement statement = connection.prepareStatement(H2LockSql.LATEST)) {
            statement.setString(1, "busy");
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("id")).isEqualTo("01ZZZZZZZZZZZZZZZZZZZZZZZZ");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    private static int scanCount(String plan) {
        Matcher matcher = SCAN_COUNT.matcher(plan);
        int total = 0;
        while (matcher.find()) {
            total += Integer.parseInt(matcher.group(1));
        }
        return total;
    }
}

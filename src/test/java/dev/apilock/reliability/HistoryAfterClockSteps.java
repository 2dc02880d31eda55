package dev.apilock.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apilock.LockTable;
import java.time.Duration;

/**
 * What a consistent history is once the database clock has been stepped back: everything
 * {@link LockTable#assertConsistent()} requires that does not compare times (tokens unique within
 * a type, the holder rows agreeing with the history, one unreleased row per type), and times in
 * order except where the step shows. A row still expires after its acquisition and is never
 * reclaimed as {@code EXPIRED} before its expiry, since both are judged by the one clock at one
 * moment; but a holder's release after a backward step is stamped up to the step before its
 * acquisition, and the next holder's acquisition up to the step before the previous one's.
 * PostgreSQL's SQL.
 */
final class HistoryAfterClockSteps {

    private HistoryAfterClockSteps() {
    }

    /** {@code backward}: the sum of the backward steps so far; zero makes the time checks strict. */
    static void assertConsistent(LockTable table, Duration backward) {
        long slack = backward.toSeconds();
        assertThat(table.count("fencing_token IS NULL")).as("rows without a fencing token").isZero();
        assertThat(table.queryLong("SELECT COUNT(*) FROM (SELECT lock_type, fencing_token FROM api_locks"
                + " GROUP BY lock_type, fencing_token HAVING COUNT(*) > 1) t")).as("fencing tokens repeated").isZero();
        assertThat(table.queryLong("SELECT COUNT(*) FROM api_locks l WHERE NOT released AND NOT EXISTS"
                + " (SELECT 1 FROM api_lock_holders h WHERE h.lock_id = l.id AND NOT h.released)"))
                .as("unreleased history rows that are not their type's holder").isZero();
        assertThat(table.queryLong("SELECT COUNT(*) FROM api_lock_holders h JOIN api_locks l ON l.id = h.lock_id"
                + " WHERE h.released <> l.released OR h.fencing_token <> l.fencing_token"
                + " OR h.expires_at <> l.expires_at OR h.acquired_at <> l.acquired_at"))
                .as("holder rows that disagree with their history row").isZero();
        assertThat(table.queryLong("SELECT COUNT(*) FROM api_lock_holders h WHERE h.fencing_token <"
                + " (SELECT MAX(fencing_token) FROM api_locks l WHERE l.lock_type = h.lock_type)"))
                .as("holder rows below their type's highest token").isZero();
        assertThat(table.queryLong("SELECT COUNT(*) FROM (SELECT lock_type FROM api_locks WHERE NOT released"
                + " GROUP BY lock_type HAVING COUNT(*) > 1) t")).as("types with two unreleased rows").isZero();
        assertThat(table.count("released <> (released_at IS NOT NULL) OR released <> (release_reason IS NOT NULL)"))
                .as("release time and reason exactly on released rows").isZero();

        assertThat(table.count("expires_at <= acquired_at")).as("rows expiring before their acquisition").isZero();
        assertThat(table.count("release_reason = 'EXPIRED' AND released_at < expires_at"))
                .as("rows reclaimed before their expiry").isZero();
        assertThat(table.count("released_at < acquired_at - ? * INTERVAL '1 second'", slack))
                .as("rows released more than the backward steps before their acquisition").isZero();
        assertThat(table.queryLong("SELECT COUNT(*) FROM api_locks a JOIN api_locks b ON b.lock_type = a.lock_type"
                + " AND b.fencing_token > a.fencing_token WHERE b.acquired_at < a.acquired_at - ? * INTERVAL '1 second'",
                slack)).as("acquisitions dated more than the backward steps before an earlier token's").isZero();
    }
}

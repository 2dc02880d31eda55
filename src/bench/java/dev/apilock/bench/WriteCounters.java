package dev.apilock.bench;

/**
 * What a database shows of writes: on PostgreSQL the benchmark database's committed and rolled
 * back transactions ({@code pg_stat_database}), the table's inserted, updated and deleted tuples
 * ({@code pg_stat_user_tables}, counting aborted ones too) and the WAL position (cluster-wide);
 * on both databases the table's row count. Fields PostgreSQL alone has are -1 on H2.
 */
record WriteCounters(long commits, long rollbacks, long inserted, long updated, long deleted, long walPosition,
                     long rows) {

    /** The change from {@code before} to this. */
    WriteCounters minus(WriteCounters before) {
        return new WriteCounters(commits - before.commits, rollbacks - before.rollbacks, inserted - before.inserted,
                updated - before.updated, deleted - before.deleted, walPosition - before.walPosition,
                rows - before.rows);
    }

    WriteCounters plus(WriteCounters other) {
        return new WriteCounters(commits + other.commits, rollbacks + other.rollbacks, inserted + other.inserted,
                updated + other.updated, deleted + other.deleted, walPosition + other.walPosition,
                rows + other.rows);
    }

    /** Same transaction and tuple counts: the server has published everything it had pending. */
    boolean sameCountsAs(WriteCounters other) {
        return commits == other.commits && rollbacks == other.rollbacks && inserted == other.inserted
                && updated == other.updated && deleted == other.deleted && rows == other.rows;
    }
}

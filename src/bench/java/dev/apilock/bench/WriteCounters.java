package dev.apilock.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a database shows of writes, as read by {@link CounterReader}: a list of counters, each a
 * few related values (inserted / updated / deleted, say) with the scope it covers. Two readings of
 * one database have the same counters in the same order.
 */
record WriteCounters(List<Counter> counters) {

    /** What a counter covers: how far its change can be blamed on the library measured. */
    enum Scope {
        /** The library's own tables only: exact. */
        TABLES,
        /** The benchmark's database, which nothing else uses. */
        DATABASE,
        /** The whole server, shared: shown beside an idle window of the same length. */
        SERVER
    }

    record Counter(String label, Scope scope, long... values) {

        Counter minus(Counter before) {
            long[] change = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                change[i] = values[i] - before.values[i];
            }
            return new Counter(label, scope, change);
        }

        @Override
        public String toString() {
            return Arrays.stream(values).mapToObj(Long::toString).collect(Collectors.joining(" / "));
        }
    }

    /** The change from {@code before} to this. */
    WriteCounters minus(WriteCounters before) {
        List<Counter> change = new ArrayList<>();
        for (int i = 0; i < counters.size(); i++) {
            change.add(counters.get(i).minus(before.counters.get(i)));
        }
        return new WriteCounters(change);
    }

    /** The server-wide counters only. */
    WriteCounters serverWide() {
        return new WriteCounters(counters.stream().filter(c -> c.scope() == Scope.SERVER).toList());
    }

    /** The rows that the library's tables show written (inserted, updated, deleted or added), summed. */
    long rowsWritten() {
        return counters.stream().filter(c -> c.scope() == Scope.TABLES)
                .flatMapToLong(c -> Arrays.stream(c.values())).map(Math::abs).sum();
    }

    /** The counter of this label, or null. */
    Counter find(String label) {
        return counters.stream().filter(c -> c.label().equals(label)).findFirst().orElse(null);
    }

    /** Same counts apart from the whole server's: the server has published everything it had pending. */
    boolean sameCountsAs(WriteCounters other) {
        for (int i = 0; i < counters.size(); i++) {
            Counter mine = counters.get(i);
            if (mine.scope() != Scope.SERVER && !Arrays.equals(mine.values(), other.counters.get(i).values())) {
                return false;
            }
        }
        return true;
    }
}

package dev.apilock.spring.testapp;

import dev.apilock.ApiLocked;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class LockedThenTransactional {

    private final Counters counters;

    public LockedThenTransactional(Counters counters) {
        this.counters = counters;
    }

    @ApiLocked("configdocs_update")
    @Transactional
    public long increment(String name) {
        return counters.increment(name);
    }

    @ApiLocked(value = "configdocs_update", maxWait = "30s")
    @Transactional
    public long incrementWaiting(String name) {
        return counters.increment(name);
    }

    /** Fails after writing, with a checked exception: the transaction rolls back. */
    @ApiLocked("configdocs_update")
    @Transactional(rollbackFor = Exception.class)
    public long incrementThenFail(String name) throws Exception {
        counters.increment(name);
        throw new Exception("refused after writing " + name);
    }
}

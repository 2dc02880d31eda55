package dev.apilock.spring.testapp;

import dev.apilock.ApiLocked;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class TransactionalThenLocked {

    private final Counters counters;

    public TransactionalThenLocked(Counters counters) {
        this.counters = counters;
    }

    @Transactional
    @ApiLocked("configdocs_update")
    public long increment(String name) {
        return counters.increment(name);
    }

    @Transactional
    @ApiLocked(value = "configdocs_update", maxWait = "30s")
    public long incrementWaiting(String name) {
        return counters.increment(name);
    }
}

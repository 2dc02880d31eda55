package dev.apilock.spring.testapp;

import dev.apilock.ApiLocked;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** {@code @Transactional} on the type, {@code @ApiLocked} on a method. */
@Service
@Transactional
public class TransactionalTypeLockedMethod {

    private final Counters counters;

    public TransactionalTypeLockedMethod(Counters counters) {
        this.counters = counters;
    }

    @ApiLocked("configdocs_update")
    public long increment(String name) {
        return counters.increment(name);
    }

    @ApiLocked(value = "configdocs_update", maxWait = "30s")
    public long incrementWaiting(String name) {
        return counters.increment(name);
    }
}

package dev.apilock.spring.testapp;

import dev.apilock.ApiLocked;
import dev.apilock.CurrentLock;
import dev.apilock.LockHandle;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** {@code @ApiLocked} on the type: each public method runs under the lock, without a transaction. */
@Service
@ApiLocked("nightly-report")
public class LockedType {

    public Optional<LockHandle> run() {
        return CurrentLock.find();
    }

    /** A method's own annotation wins over its type's. */
    @ApiLocked("configdocs_update")
    public Optional<LockHandle> runAsConfigdocs() {
        return CurrentLock.find();
    }

    @Override
    public String toString() {
        return "LockedType, locked: " + CurrentLock.find().isPresent();
    }
}

package com.example.configdocs;

import dev.apilock.ApiLocked;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * A bean locking a type that nothing declares. An alternative: a bean only where a test profile
 * enables it ({@link UnknownLockTypeTest}); unremovable, as nothing injects it.
 */
@Alternative
@Unremovable
@ApplicationScoped
public class UndeclaredLockTypeWriter {

    @ApiLocked("configdocs_publish")
    public void publish() {
    }
}

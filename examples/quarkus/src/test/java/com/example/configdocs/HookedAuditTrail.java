package com.example.configdocs;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/** The application's audit trail, with {@link TestHooks#audit()} after its write. */
@Alternative
@Priority(1)
@ApplicationScoped
public class HookedAuditTrail extends AuditTrail {

    private final TestHooks hooks;

    public HookedAuditTrail(TestHooks hooks) {
        this.hooks = hooks;
    }

    @Override
    public void record(ConfigDocument document, String lockId) {
        super.record(document, lockId);
        hooks.audit().reach(document.name());
    }
}

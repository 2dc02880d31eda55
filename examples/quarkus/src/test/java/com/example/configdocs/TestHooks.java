package com.example.configdocs;

import jakarta.enterprise.context.ApplicationScoped;

/** The update path's two hooks: inside the lock callback, and after it before the commit. */
@ApplicationScoped
public class TestHooks {

    private final Hook validation = new Hook();
    private final Hook audit = new Hook();

    /** Reached inside the lock callback, before the document is written. */
    public Hook validation() {
        return validation;
    }

    /** Reached after the lock callback has returned, in the same transaction, before its commit. */
    public Hook audit() {
        return audit;
    }

    public void reset() {
        validation.reset();
        audit.reset();
    }
}

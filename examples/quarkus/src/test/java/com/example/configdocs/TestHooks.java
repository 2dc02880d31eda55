package com.example.configdocs;

import dev.apilock.CurrentLock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The update path's two hooks, inside the locked method before and after the write, and what it saw. */
@ApplicationScoped
public class TestHooks {

    private final Hook validation = new Hook();
    private final Hook audit = new Hook();
    private final Map<String, String> seenInside = new ConcurrentHashMap<>();

    /** Reached inside the locked method, before the document is written. */
    public Hook validation() {
        return validation;
    }

    /** Reached inside the locked method after the write, in its transaction, before the commit. */
    public Hook audit() {
        return audit;
    }

    /** Notes, for {@code document}, whether the method runs in a transaction and whether its lock covers it. */
    void noteInside(String document) {
        seenInside.put(document, "transaction " + (QuarkusTransaction.isActive() ? "active" : "none")
                + ", lock covers it " + CurrentLock.handle().coversCallerTransaction());
    }

    /** What the last update of {@code document} saw inside the method. */
    public String seenInside(String document) {
        return seenInside.get(document);
    }

    public void reset() {
        validation.reset();
        audit.reset();
    }
}

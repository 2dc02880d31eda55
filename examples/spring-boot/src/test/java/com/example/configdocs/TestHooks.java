package com.example.configdocs;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The application's extension points, taken over by a test: the content validator (inside the
 * locked method) and a listener that runs after the method returned, before the commit.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestHooks {

    /** Inside the locked method, after the production content rules passed. */
    final Checkpoint inCallback = new Checkpoint();

    /** After the locked method returned, in the same transaction, just before it commits. */
    final Checkpoint beforeCommit = new Checkpoint();

    private final AtomicBoolean failNextUpdate = new AtomicBoolean();

    /** The next update changes and flushes its document inside the method, then fails. */
    void failNextUpdateAfterWriting() {
        failNextUpdate.set(true);
    }

    void reset() {
        inCallback.reset();
        beforeCommit.reset();
        failNextUpdate.set(false);
    }

    @Bean
    @Primary
    ContentValidator hookedValidator(ContentRules rules, ConfigDocumentRepository documents) {
        return (name, content) -> {
            rules.validate(name, content);
            inCallback.pass();
            if (failNextUpdate.getAndSet(false)) {
                documents.findById(name).ifPresent(document -> document.write("half-written", 0, "validator", Instant.now()));
                documents.flush();
                throw new IllegalStateException("Validator failed after the document was written and flushed");
            }
        };
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT)
    void beforeCommit(ConfigDocumentChanged change) {
        beforeCommit.pass();
    }
}

package com.example.configdocs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/** Logs each revision once it is committed, and only then. */
@Component
class CommittedChanges {

    private static final Logger log = LoggerFactory.getLogger(CommittedChanges.class);

    @TransactionalEventListener
    void committed(ConfigDocumentChanged change) {
        log.info("Config document {} revision {} committed by {} under lock {} (fencing token {})",
                change.name(), change.revision(), change.user(), change.lockId(), change.fencingToken());
    }
}

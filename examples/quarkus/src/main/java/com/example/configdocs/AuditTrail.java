package com.example.configdocs;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/** Records each revision in the transaction that writes it, so both commit or neither does. */
@ApplicationScoped
public class AuditTrail {

    @Inject
    EntityManager entityManager;

    /** @param lockId the lock the revision was written under; its history row says who asked, for which request */
    @Transactional(TxType.MANDATORY)
    public void record(ConfigDocument document, String lockId) {
        entityManager.persist(new ConfigDocumentChange(document, lockId));
    }
}

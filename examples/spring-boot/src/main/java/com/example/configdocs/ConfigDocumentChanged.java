package com.example.configdocs;

/**
 * Published inside the updating transaction. Listeners with
 * {@code @TransactionalEventListener(phase = BEFORE_COMMIT)} run in that transaction, still
 * under the lock; the default phase, after commit, sees the revision once it is visible.
 */
public record ConfigDocumentChanged(String name, long revision, long fencingToken, String user, String lockId) {
}

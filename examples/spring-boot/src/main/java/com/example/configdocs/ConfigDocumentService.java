package com.example.configdocs;

import dev.apilock.ApiLocked;
import dev.apilock.CurrentLock;
import dev.apilock.LockHandle;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Updates configuration documents one process at a time across every instance of the service:
 * each update runs under the {@code configdocs_update} lock, which is taken before its transaction
 * begins and released after that transaction committed or rolled back, so no other instance reads
 * a document before its new revision is committed, and none writes over it.
 */
@Service
public class ConfigDocumentService {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final ConfigDocumentRepository documents;
    private final ContentValidator validator;
    private final ApplicationEventPublisher events;

    public ConfigDocumentService(ConfigDocumentRepository documents, ContentValidator validator,
                                 ApplicationEventPublisher events) {
        this.documents = documents;
        this.validator = validator;
        this.events = events;
    }

    /**
     * Writes the next revision of a document, creating it at revision 1.
     *
     * @throws dev.apilock.ApiLockAcquireException another update holds the lock: answered 409
     * @throws InvalidDocumentException            a bad name or content; nothing is written
     */
    @ApiLocked("configdocs_update")
    @Transactional
    public ConfigDocument update(String name, String content, String user) {
        return write(name, content, user);
    }

    /**
     * As {@link #update}, waiting up to 30 s for another instance's update to finish. The
     * annotations are written the other way round here, to the same effect: the lock is always
     * taken outside the transaction.
     */
    @Transactional
    @ApiLocked(value = "configdocs_update", maxWait = "30s")
    public ConfigDocument updateWaiting(String name, String content, String user) {
        return write(name, content, user);
    }

    private ConfigDocument write(String name, String content, String user) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidDocumentException("Document names are 1 to 128 letters, digits, '.', '_' or '-'");
        }
        LockHandle lock = CurrentLock.handle();
        ConfigDocument document = documents.findById(name).orElseGet(() -> ConfigDocument.named(name));
        validator.validate(name, content);
        lock.checkHeld();
        document.write(content, lock.fencingToken(), user, Instant.now().truncatedTo(ChronoUnit.MICROS));
        ConfigDocument saved = documents.save(document);
        events.publishEvent(new ConfigDocumentChanged(name, saved.getRevision(), lock.fencingToken(), user,
                lock.lockId()));
        return saved;
    }

    @Transactional(readOnly = true)
    public Optional<ConfigDocument> find(String name) {
        return documents.findById(name);
    }
}

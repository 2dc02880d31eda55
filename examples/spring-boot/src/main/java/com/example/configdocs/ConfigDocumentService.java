package com.example.configdocs;

import dev.apilock.LockOperations;
import dev.apilock.LockType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Updates configuration documents one process at a time across every instance of the service:
 * each update runs under the {@link LockType#CONFIGDOCS_UPDATE} lock, inside its transaction.
 * Taken inside a Spring-managed transaction, the lock is released only once that transaction has
 * committed or rolled back, so no other instance reads a document before its new revision is
 * committed, and none writes over it.
 */
@Service
public class ConfigDocumentService {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final ConfigDocumentRepository documents;
    private final LockOperations locks;
    private final ContentValidator validator;
    private final ApplicationEventPublisher events;

    public ConfigDocumentService(ConfigDocumentRepository documents, LockOperations locks,
                                 ContentValidator validator, ApplicationEventPublisher events) {
        this.documents = documents;
        this.locks = locks;
        this.validator = validator;
        this.events = events;
    }

    /**
     * Writes the next revision of a document, creating it at revision 1.
     *
     * @param wait how long to wait for another instance's update to finish; zero fails at once
     * @throws dev.apilock.ApiLockAcquireException another update holds the lock
     * @throws InvalidDocumentException            a bad name or content; nothing is written
     */
    @Transactional
    public ConfigDocument update(String name, String content, String user, String requestId, Duration wait) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidDocumentException("Document names are 1 to 128 letters, digits, '.', '_' or '-'");
        }
        return locks.execute(LockType.CONFIGDOCS_UPDATE, requestId, user, wait, lock -> {
            ConfigDocument document = documents.findById(name).orElseGet(() -> ConfigDocument.named(name));
            validator.validate(name, content);
            lock.checkHeld();
            document.write(content, lock.fencingToken(), user, Instant.now().truncatedTo(ChronoUnit.MICROS));
            ConfigDocument saved = documents.save(document);
            events.publishEvent(new ConfigDocumentChanged(name, saved.getRevision(), lock.fencingToken(), user, requestId));
            return saved;
        });
    }

    @Transactional(readOnly = true)
    public Optional<ConfigDocument> find(String name) {
        return documents.findById(name);
    }
}

package com.example.configdocs;

import dev.apilock.LockOperations;
import dev.apilock.LockType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads and writes configuration documents; one writer at a time across every instance. */
@ApplicationScoped
public class ConfigDocumentService {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final EntityManager entityManager;
    private final LockOperations locks;
    private final ContentValidator validator;
    private final AuditTrail audit;

    public ConfigDocumentService(EntityManager entityManager, LockOperations locks, ContentValidator validator,
                                 AuditTrail audit) {
        this.entityManager = entityManager;
        this.locks = locks;
        this.validator = validator;
        this.audit = audit;
    }

    public Optional<ConfigDocument> find(String name) {
        return Optional.ofNullable(entityManager.find(ConfigDocument.class, requireName(name)));
    }

    /**
     * Writes the next revision of {@code name} (creating it at revision 1), under the lock
     * {@link LockType#CONFIGDOCS_UPDATE}, waiting up to {@code wait} for it.
     *
     * <p>The lock is taken inside this method's transaction and covers its commit: the document
     * and its audit row are flushed when the transaction commits, after the callback has
     * returned, and apilock releases the lock only once that commit (or a rollback) is done.
     *
     * @throws dev.apilock.ApiLockAcquireException another request or instance holds the lock
     * @throws InvalidRequestException             a bad name or content; nothing is written
     */
    @Transactional
    public ConfigDocument update(String name, String content, String user, String requestId, Duration wait) {
        requireName(name);
        ConfigDocument document = locks.execute(LockType.CONFIGDOCS_UPDATE, requestId, user, wait, lock -> {
            ConfigDocument current = entityManager.find(ConfigDocument.class, name);
            validator.validate(name, content);
            ConfigDocument written = current == null ? new ConfigDocument(name) : current;
            // Microseconds: what the column keeps, so the answer shows what a later read returns.
            written.write(content, user, lock.fencingToken(), Instant.now().truncatedTo(ChronoUnit.MICROS));
            if (current == null) {
                entityManager.persist(written);
            }
            return written;
        });
        audit.record(document, requestId);
        return document;
    }

    private static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequestException("Document names are 1 to 128 ASCII letters, digits and . _ -");
        }
        return name;
    }
}

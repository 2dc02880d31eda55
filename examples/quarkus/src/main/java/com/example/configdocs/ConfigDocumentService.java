package com.example.configdocs;

import dev.apilock.ApiLocked;
import dev.apilock.CurrentLock;
import dev.apilock.LockHandle;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and writes configuration documents; one writer at a time across every instance, under the
 * lock {@code configdocs_update} (built into apilock: 60 s).
 *
 * <p>The lock is taken before the method's transaction begins and released after it has
 * committed or rolled back, whichever order the two annotations are written in: the next writer
 * always reads the revision this one committed. Another writer meanwhile gets
 * {@link dev.apilock.ApiLockAcquireException}, which apilock answers as 409.
 */
@ApplicationScoped
public class ConfigDocumentService {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final EntityManager entityManager;
    private final ContentValidator validator;
    private final AuditTrail audit;
    private final SecurityIdentity identity;

    public ConfigDocumentService(EntityManager entityManager, ContentValidator validator, AuditTrail audit,
                                 SecurityIdentity identity) {
        this.entityManager = entityManager;
        this.validator = validator;
        this.audit = audit;
        this.identity = identity;
    }

    public Optional<ConfigDocument> find(String name) {
        return Optional.ofNullable(entityManager.find(ConfigDocument.class, requireName(name)));
    }

    /**
     * Writes the next revision of {@code name} (creating it at revision 1), refused at once if
     * another writer holds the lock.
     *
     * @throws dev.apilock.ApiLockAcquireException another request or instance holds the lock
     * @throws InvalidRequestException             a bad name or content; nothing is written
     */
    @ApiLocked("configdocs_update")
    @Transactional
    public ConfigDocument update(String name, String content) {
        return write(name, content);
    }

    /** As {@link #update}, waiting up to 30 s for the lock. */
    @Transactional
    @ApiLocked(value = "configdocs_update", maxWait = "30s")
    public ConfigDocument updateWhenFree(String name, String content) {
        return write(name, content);
    }

    private ConfigDocument write(String name, String content) {
        requireName(name);
        LockHandle lock = CurrentLock.handle();
        ConfigDocument current = entityManager.find(ConfigDocument.class, name);
        validator.validate(name, content);
        ConfigDocument written = current == null ? new ConfigDocument(name) : current;
        // Microseconds: what the column keeps, so the answer shows what a later read returns.
        written.write(content, writer(), lock.fencingToken(), Instant.now().truncatedTo(ChronoUnit.MICROS));
        if (current == null) {
            entityManager.persist(written);
        }
        audit.record(written, lock.lockId());
        return written;
    }

    private String writer() {
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }

    private static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequestException("Document names are 1 to 128 ASCII letters, digits and . _ -");
        }
        return name;
    }
}

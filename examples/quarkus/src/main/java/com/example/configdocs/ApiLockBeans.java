package com.example.configdocs;

import dev.apilock.LockAdmin;
import dev.apilock.LockOperations;
import dev.apilock.LockTemplate;
import io.quarkus.hibernate.orm.PersistenceUnit;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManagerFactory;

/**
 * apilock on its own persistence unit {@code apilock} (see application.properties), a JTA unit
 * on a small pool of its own. Each lock operation suspends the caller's JTA transaction, runs in
 * a short transaction of its own on that pool, and resumes the caller's; a lock taken inside a
 * transaction is released once that transaction has committed or rolled back.
 *
 * <p>Created at startup: a unit that does not manage apilock's entity stops the application
 * there, instead of failing its first request.
 */
@ApplicationScoped
public class ApiLockBeans {

    @Produces
    @ApplicationScoped
    @Startup
    LockOperations lockOperations(@PersistenceUnit("apilock") EntityManagerFactory entityManagerFactory) {
        return new LockTemplate(entityManagerFactory);
    }

    @Produces
    @ApplicationScoped
    @Startup
    LockAdmin lockAdmin(@PersistenceUnit("apilock") EntityManagerFactory entityManagerFactory) {
        return new LockAdmin(entityManagerFactory);
    }
}

package com.example.configdocs;

import dev.apilock.LockAdmin;
import dev.apilock.LockOperations;
import dev.apilock.LockTemplate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManagerFactory;

/**
 * apilock on the application's own persistence unit. Quarkus finds apilock's entity through the
 * Jandex index inside its jar, so the unit needs no configuration for it; the template runs each
 * lock operation in a short transaction of its own, outside the caller's JTA transaction.
 */
@ApplicationScoped
public class ApiLockBeans {

    @Produces
    @ApplicationScoped
    LockOperations lockOperations(EntityManagerFactory entityManagerFactory) {
        return new LockTemplate(entityManagerFactory);
    }

    @Produces
    @ApplicationScoped
    LockAdmin lockAdmin(EntityManagerFactory entityManagerFactory) {
        return new LockAdmin(entityManagerFactory);
    }
}

package dev.apilock.spring;

import jakarta.persistence.EntityManagerFactory;

/**
 * The EntityManagerFactory apilock works on, its tables checked: the application's own, or
 * apilock's on a pool of its own ({@link OwnPool}).
 */
final class ApiLockUnit implements AutoCloseable {

    private final EntityManagerFactory entityManagerFactory;
    private final AutoCloseable owned;

    private ApiLockUnit(EntityManagerFactory entityManagerFactory, AutoCloseable owned) {
        this.entityManagerFactory = entityManagerFactory;
        this.owned = owned;
    }

    /** On the application's factory, which Spring closes. */
    static ApiLockUnit onHost(EntityManagerFactory entityManagerFactory) {
        ApiLockTables.check(entityManagerFactory, "the application's EntityManagerFactory");
        return new ApiLockUnit(entityManagerFactory, () -> { });
    }

    /** On a factory of apilock's own, closed with this unit by {@code owned}. */
    static ApiLockUnit owning(EntityManagerFactory entityManagerFactory, AutoCloseable owned) {
        return new ApiLockUnit(entityManagerFactory, owned);
    }

    EntityManagerFactory entityManagerFactory() {
        return entityManagerFactory;
    }

    @Override
    public void close() throws Exception {
        owned.close();
    }
}

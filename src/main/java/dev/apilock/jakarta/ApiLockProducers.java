package dev.apilock.jakarta;

import dev.apilock.ApiLockSetupException;
import dev.apilock.ApiLockedInvoker;
import dev.apilock.LockAdmin;
import dev.apilock.LockCallerResolver;
import dev.apilock.LockListener;
import dev.apilock.LockOperations;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import dev.apilock.LockTypes;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManagerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * apilock's CDI beans: {@link LockOperations} (a {@link LockTemplate}) and {@link LockAdmin} on the
 * default persistence unit's {@link EntityManagerFactory} (or the unit {@code apilock.persistence-unit}
 * names), the declared {@link LockTypes}, and the {@link ApiLockedInvoker} the interceptor uses.
 * {@link LockListener} beans of the application are told about every lock.
 *
 * <p>One instance each per application ({@code @Singleton}: immutable and thread-safe, no client
 * proxy needed), created when the application starts (see {@link LockedMethods}). To use your own,
 * declare a bean of the type with {@code @Alternative @Priority(1)}; in Quarkus a plain bean is
 * enough, these being {@code @DefaultBean}s there.
 */
@Dependent
public class ApiLockProducers {

    @Produces
    @Singleton
    @DefaultBean
    static LockOperations lockOperations(@Any Instance<EntityManagerFactory> factories,
                                         @Any Instance<LockListener> listeners) {
        List<LockListener> all = new ArrayList<>();
        listeners.forEach(all::add);
        return new LockTemplate(entityManagerFactory(factories, ApiLockSettings.load().persistenceUnit()),
                all.isEmpty() ? LockListener.NONE : LockListener.composite(all.toArray(LockListener[]::new)));
    }

    @Produces
    @Singleton
    @DefaultBean
    static LockAdmin lockAdmin(@Any Instance<EntityManagerFactory> factories) {
        return new LockAdmin(entityManagerFactory(factories, ApiLockSettings.load().persistenceUnit()));
    }

    /** {@code configdocs_update}, the types of {@code apilock.types.*}, and the application's LockType beans. */
    @Produces
    @Singleton
    @DefaultBean
    static LockTypes lockTypes(@Any Instance<LockType> declared) {
        List<LockType> types = new ArrayList<>(ApiLockSettings.load().types());
        declared.forEach(types::add);
        return LockTypes.of(types);
    }

    @Produces
    @Singleton
    static ApiLockedInvoker apiLockedInvoker(LockOperations locks, LockTypes types, LockCallerResolver callers) {
        return new ApiLockedInvoker(locks, types, callers);
    }

    /**
     * The factory of the unit named {@code unit} (by {@link EntityManagerFactory#getName()}), or the
     * {@code @Default} one.
     *
     * @throws ApiLockSetupException there is none, or more than one
     */
    static EntityManagerFactory entityManagerFactory(Instance<EntityManagerFactory> factories, Optional<String> unit) {
        if (unit.isEmpty()) {
            Instance<EntityManagerFactory> byDefault = factories.select(Default.Literal.INSTANCE);
            if (byDefault.isResolvable()) {
                return byDefault.get();
            }
            throw new ApiLockSetupException((byDefault.isAmbiguous() ? "More than one" : "No")
                    + " @Default EntityManagerFactory bean for apilock: name the persistence unit with "
                    + ApiLockSettings.PERSISTENCE_UNIT + ", make the unit's factory a bean"
                    + " (@Produces @PersistenceUnit EntityManagerFactory), or declare your own LockOperations and"
                    + " LockAdmin beans");
        }
        List<String> names = new ArrayList<>();
        for (EntityManagerFactory factory : factories) {
            String name = unitName(factory);
            if (unit.get().equals(name)) {
                return factory;
            }
            names.add(name);
        }
        throw new ApiLockSetupException("No persistence unit '" + unit.get() + "' (" + ApiLockSettings.PERSISTENCE_UNIT
                + ") among the EntityManagerFactory beans; their units are " + names);
    }

    /** The unit's name; Hibernate answers a session factory name instead if one is configured. */
    private static String unitName(EntityManagerFactory factory) {
        Object unit = factory.getProperties().get("hibernate.persistenceUnitName");
        return unit != null ? unit.toString() : Objects.toString(factory.getName());
    }
}

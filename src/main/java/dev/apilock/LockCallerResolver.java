package dev.apilock;

/**
 * Says who asks for a lock through {@link ApiLocked}, and for which request. The framework
 * integrations bring defaults (the security principal if there is one, else {@code anonymous}; the
 * request's {@code X-Request-Id} or current trace id, else a new ULID); an application replaces
 * them with a bean of its own. Called on the thread that calls the annotated method.
 */
@FunctionalInterface
public interface LockCallerResolver {

    /** The caller of the method about to be locked; {@code lockType} is the type it asks for. */
    LockCaller resolve(LockType lockType);
}

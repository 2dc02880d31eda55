package dev.apilock.jakarta;

import dev.apilock.ApiLocked;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Applies {@link ApiLocked} in CDI (Quarkus, Jakarta EE): the method runs under its lock, taken
 * before the method's transaction begins and released after it has committed or rolled back.
 *
 * <p>Its {@link #PRIORITY} puts it outside the JTA {@code @Transactional} interceptors (Narayana's
 * and Quarkus', at {@code PLATFORM_BEFORE + 200}), whichever order the annotations are written in.
 * An interceptor of a lower priority still runs outside the lock; Quarkus' security interceptors
 * for {@code @RolesAllowed} on a bean method ({@code LIBRARY_BEFORE}) run inside it, after the lock
 * is taken (a Jakarta REST endpoint's own checks come before any of them).
 */
@Interceptor
@ApiLocked("")
@Priority(ApiLockedInterceptor.PRIORITY)
public class ApiLockedInterceptor {

    /** Before the transaction interceptors ({@code PLATFORM_BEFORE + 200}): the lock is around the transaction. */
    public static final int PRIORITY = Interceptor.Priority.PLATFORM_BEFORE + 100;

    @Inject
    LockedMethods methods;

    @AroundInvoke
    Object lock(InvocationContext invocation) throws Exception {
        return methods.invoke(invocation);
    }
}

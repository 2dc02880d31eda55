package dev.apilock;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated method while holding the lock of a declared type: the origin's decorator,
 * {@code @api_lock(ApiLockType.CONFIGDOCS_UPDATE)}, in Java. The lock is taken before the method's
 * own transaction begins and released after it has committed or rolled back; another process that
 * asks meanwhile is refused with {@link ApiLockAcquireException}, which the web integrations answer
 * as 409 "Blocked by another process".
 *
 * <pre>{@code
 * @ApiLocked("configdocs_update")
 * @Transactional
 * public Document update(String name, String content) { ... }
 * }</pre>
 *
 * <p>The type must be declared (the built-in {@code configdocs_update}, 60 s; configuration
 * properties; {@link LockType} beans): an unknown name fails when the application starts. Who asks
 * and for which request come from the framework's {@link LockCallerResolver}. Inside the method,
 * {@link CurrentLock#handle()} gives the lock and its fencing token.
 *
 * <p>Spring (AOP advice) and Jakarta CDI (an interceptor binding: Quarkus, Jakarta EE) apply it;
 * the meta-annotations it carries for CDI are ignored where CDI is absent.
 */
@InterceptorBinding
@Inherited
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface ApiLocked {

    /** The lock type's name, as declared. */
    @Nonbinding
    String value();

    /**
     * How long to wait for the lock before refusing, as ISO-8601 ({@code PT30S}) or {@code 30s},
     * {@code 5m}; empty (the default) fails fast.
     */
    @Nonbinding
    String maxWait() default "";

    /** Keep the lock alive while the method runs, whether or not the type is declared with keep-alive. */
    @Nonbinding
    boolean keepAlive() default false;
}

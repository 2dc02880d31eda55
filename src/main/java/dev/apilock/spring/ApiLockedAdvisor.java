package dev.apilock.spring;

import dev.apilock.ApiLocked;
import dev.apilock.ApiLockedInvoker;
import dev.apilock.ApiLockedInvoker.LockedMethod;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.StaticMethodMatcher;
import org.springframework.aop.support.annotation.AnnotationClassFilter;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Runs methods annotated with {@link ApiLocked}, and the public methods of annotated types (but
 * {@code equals}, {@code hashCode} and {@code toString}), under their lock: Spring AOP, no AspectJ weaver. Its order puts it just outside the transaction
 * advisor, so that the lock is taken before the method's own {@code @Transactional} transaction
 * begins and released after it has committed or rolled back, in whichever order the two
 * annotations are written. A method's annotation is resolved once ({@link #resolve}).
 */
final class ApiLockedAdvisor extends AbstractPointcutAdvisor {

    private final Supplier<ApiLockedInvoker> invoker;
    private final Supplier<Integer> order;
    private final Map<MethodClassKey, LockedMethod> resolved = new ConcurrentHashMap<>();
    private final Pointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(null, ApiLocked.class, true))
            .union(new ComposablePointcut(new AnnotationClassFilter(ApiLocked.class, true), PublicMethods.INSTANCE));
    private final Advice advice = (MethodInterceptor) this::invoke;

    /**
     * @param invoker looked up at the first call or check, not while the advisor is created
     * @param order   looked up when advisors are first sorted for a bean, once every advisor exists
     */
    ApiLockedAdvisor(Supplier<ApiLockedInvoker> invoker, Supplier<Integer> order) {
        this.invoker = SingletonSupplier.of(invoker);
        this.order = SingletonSupplier.of(order);
    }

    @Override
    public int getOrder() {
        return order.get();
    }

    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return advice;
    }

    private @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Class<?> targetClass = target == null ? invocation.getMethod().getDeclaringClass() : AopUtils.getTargetClass(target);
        return invoker.get().invoke(resolve(invocation.getMethod(), targetClass), invocation::proceed);
    }

    /**
     * The lock of {@code method} called on a {@code targetClass}: the method's own annotation, else
     * its type's.
     *
     * @throws dev.apilock.ApiLockSetupException an unknown type or a bad wait, naming the method
     */
    LockedMethod resolve(Method method, Class<?> targetClass) {
        return resolved.computeIfAbsent(new MethodClassKey(method, targetClass), key -> {
            Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
            ApiLocked annotation = AnnotatedElementUtils.findMergedAnnotation(specific, ApiLocked.class);
            if (annotation == null) {
                annotation = AnnotatedElementUtils.findMergedAnnotation(ClassUtils.getUserClass(targetClass), ApiLocked.class);
            }
            if (annotation == null) {
                throw new IllegalStateException("No @ApiLocked on " + specific + " nor on " + targetClass);
            }
            return invoker.get().resolve(annotation,
                    "@ApiLocked on " + ClassUtils.getQualifiedMethodName(specific, ClassUtils.getUserClass(targetClass)));
        });
    }

    /**
     * A type's annotation covers its public methods, not those every object has: a debugger or a
     * log line calling {@code toString} must not take the lock.
     */
    private static final class PublicMethods extends StaticMethodMatcher {

        static final PublicMethods INSTANCE = new PublicMethods();

        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
            return Modifier.isPublic(specific.getModifiers()) && !ReflectionUtils.isObjectMethod(specific)
                    && !ReflectionUtils.isEqualsMethod(specific) && !ReflectionUtils.isHashCodeMethod(specific)
                    && !ReflectionUtils.isToStringMethod(specific);
        }
    }
}

package dev.apilock.jakarta;

import dev.apilock.ApiLockSetupException;
import dev.apilock.ApiLocked;
import dev.apilock.ApiLockedInvoker;
import dev.apilock.ApiLockedInvoker.LockedMethod;
import dev.apilock.LockAdmin;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.interceptor.InvocationContext;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ApiLocked} methods of the application's beans, resolved against the declared lock
 * types when the application starts: an unknown type or a malformed wait stops the start, naming
 * the method. Starting also creates {@link dev.apilock.LockOperations} and {@link LockAdmin}, so
 * a persistence unit without apilock's entity stops it too, instead of failing a first request.
 */
@ApplicationScoped
public class LockedMethods {

    private static final Logger log = LoggerFactory.getLogger(LockedMethods.class);

    private final Map<Key, LockedMethod> resolved = new ConcurrentHashMap<>();

    @Inject
    ApiLockedInvoker invoker;

    /** A method and the annotation that applies to it (its own, or its class's). */
    private record Key(Method method, ApiLocked annotation) {
    }

    /** {@code admin} and the invoker's LockOperations are created here, so their unit is checked now. */
    void verify(@Observes Startup startup, BeanManager beans, LockAdmin admin) {
        Set<Class<?>> seen = new HashSet<>();
        List<String> problems = new ArrayList<>();
        Set<String> types = new TreeSet<>();
        int methods = 0;
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> beanClass = bean.getBeanClass();
            if (!seen.add(beanClass) || beanClass == ApiLockedInterceptor.class) {
                continue;
            }
            for (Map.Entry<Method, ApiLocked> locked : lockedMethodsOf(beanClass).entrySet()) {
                try {
                    types.add(resolve(locked.getKey(), locked.getValue(), beanClass).type().name());
                    methods++;
                } catch (ApiLockSetupException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ApiLockSetupException(String.join("; ", problems));
        }
        log.info("apilock: {} @ApiLocked method(s) on lock type(s) {}", methods, types);
    }

    /** Runs an intercepted method under its lock. */
    Object invoke(InvocationContext invocation) throws Exception {
        Method method = invocation.getMethod();
        ApiLocked annotation = bindingOf(invocation);
        LockedMethod locked = resolve(method, annotation, method.getDeclaringClass());
        try {
            return invoker.invoke(locked, invocation::proceed);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t); // proceed() throws nothing else
        }
    }

    private LockedMethod resolve(Method method, ApiLocked annotation, Class<?> beanClass) {
        return resolved.computeIfAbsent(new Key(method, annotation),
                key -> invoker.resolve(annotation, "@ApiLocked on " + describe(beanClass, method)));
    }

    /** The binding as the container reports it (Jakarta Interceptors 2.2), else read from the method and class. */
    private static ApiLocked bindingOf(InvocationContext invocation) {
        ApiLocked binding = null;
        try {
            binding = invocation.getInterceptorBinding(ApiLocked.class);
        } catch (UnsupportedOperationException | AbstractMethodError e) {
            // an older container: read it ourselves
        }
        if (binding == null) {
            binding = invocation.getMethod().getAnnotation(ApiLocked.class);
        }
        if (binding == null && invocation.getTarget() != null) {
            binding = invocation.getTarget().getClass().getAnnotation(ApiLocked.class);
        }
        if (binding == null) {
            throw new IllegalStateException("No @ApiLocked found for " + invocation.getMethod());
        }
        return binding;
    }

    /**
     * The business methods of {@code beanClass} that the interceptor locks, each with the
     * annotation that applies: its own, else its class's ({@link ApiLocked} is {@code @Inherited}).
     */
    static Map<Method, ApiLocked> lockedMethodsOf(Class<?> beanClass) {
        ApiLocked onClass = beanClass.getAnnotation(ApiLocked.class);
        Map<Method, ApiLocked> locked = new LinkedHashMap<>();
        Set<String> overridden = new HashSet<>();
        for (Class<?> type = beanClass; type != null && type != Object.class; type = type.getSuperclass()) {
            for (Method method : type.getDeclaredMethods()) {
                int modifiers = method.getModifiers();
                if (method.isSynthetic() || method.isBridge() || Modifier.isStatic(modifiers)
                        || Modifier.isPrivate(modifiers) || !overridden.add(signature(method))) {
                    continue;
                }
                ApiLocked annotation = method.getAnnotation(ApiLocked.class);
                if (annotation != null || onClass != null) {
                    locked.put(method, annotation != null ? annotation : onClass);
                }
            }
        }
        return locked;
    }

    private static String signature(Method method) {
        return method.getName() + Arrays.toString(method.getParameterTypes());
    }

    private static String describe(Class<?> beanClass, Method method) {
        return beanClass.getName() + "." + method.getName() + Arrays.stream(method.getParameterTypes())
                .map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }
}

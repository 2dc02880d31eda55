package dev.apilock.spring;

import com.github.f4b6a3.ulid.UlidCreator;
import dev.apilock.LockCaller;
import dev.apilock.LockCallerResolver;
import dev.apilock.LockType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The default caller of an {@code @ApiLocked} method. The user is the authenticated principal's
 * name when Spring Security is present and someone is authenticated, else the servlet request's
 * remote user, else {@value #ANONYMOUS}. The reference is the request's {@value #REQUEST_ID}
 * header, else the current trace id when Micrometer Tracing traces, else a new ULID. Outside a
 * web request the same, without the request.
 */
final class SpringLockCallerResolver implements LockCallerResolver {

    static final String ANONYMOUS = "anonymous";
    static final String REQUEST_ID = "X-Request-Id";

    private static final ClassLoader LOADER = SpringLockCallerResolver.class.getClassLoader();
    private static final boolean SECURITY =
            ClassUtils.isPresent("org.springframework.security.core.context.SecurityContextHolder", LOADER);
    private static final boolean SERVLET = ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest", LOADER)
            && ClassUtils.isPresent("org.springframework.web.context.request.RequestContextHolder", LOADER);

    private final Supplier<@Nullable String> traceIds;

    /** @param traceIds the current trace id, or null outside a trace */
    SpringLockCallerResolver(Supplier<@Nullable String> traceIds) {
        this.traceIds = traceIds;
    }

    @Override
    public LockCaller resolve(LockType lockType) {
        String user = SECURITY ? Security.userName() : null;
        if (user == null && SERVLET) {
            user = Servlet.remoteUser();
        }
        String reference = SERVLET ? Servlet.header(REQUEST_ID) : null;
        if (reference == null) {
            reference = traceIds.get();
        }
        return new LockCaller(user != null ? user : ANONYMOUS,
                reference != null ? reference : UlidCreator.getMonotonicUlid().toString());
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Loaded only with Spring Security on the class path. */
    private static final class Security {

        private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();

        static @Nullable String userName() {
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            return TRUST.isAuthenticated(authentication) ? blankToNull(authentication.getName()) : null;
        }
    }

    /** Loaded only with the servlet API and spring-web on the class path. */
    private static final class Servlet {

        static @Nullable String remoteUser() {
            HttpServletRequest request = current();
            return request == null ? null : blankToNull(request.getRemoteUser());
        }

        static @Nullable String header(String name) {
            HttpServletRequest request = current();
            return request == null ? null : blankToNull(request.getHeader(name));
        }

        private static @Nullable HttpServletRequest current() {
            RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
            return attributes instanceof ServletRequestAttributes servlet ? servlet.getRequest() : null;
        }
    }
}

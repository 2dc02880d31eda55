package dev.apilock.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apilock.LockCaller;
import dev.apilock.LockType;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** Who the default resolver says asks, from Spring Security, the servlet request and the trace. */
class SpringLockCallerResolverTest {

    private static final LockType TYPE = LockType.CONFIGDOCS_UPDATE;

    @AfterEach
    void clear() {
        RequestContextHolder.resetRequestAttributes();
        SecurityContextHolder.clearContext();
    }

    @Test
    void anAuthenticatedPrincipalAndTheRequestIdHeaderComeFirst() {
        MockHttpServletRequest request = request();
        request.setRemoteUser("container-user");
        request.addHeader("X-Request-Id", "req-17");
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "alice", "n/a", AuthorityUtils.createAuthorityList("ROLE_USER")));

        LockCaller caller = new SpringLockCallerResolver(() -> "trace-1").resolve(TYPE);

        assertThat(caller).isEqualTo(new LockCaller("alice", "req-17"));
    }

    @Test
    void anAnonymousOrUnauthenticatedPrincipalGivesWayToTheRemoteUser() {
        MockHttpServletRequest request = request();
        request.setRemoteUser("bob");
        SecurityContextHolder.getContext().setAuthentication(new AnonymousAuthenticationToken("key", "anonymousUser",
                AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));

        assertThat(new SpringLockCallerResolver(() -> null).resolve(TYPE).user()).isEqualTo("bob");

        SecurityContextHolder.getContext().setAuthentication(
                UsernamePasswordAuthenticationToken.unauthenticated("mallory", "guess"));
        assertThat(new SpringLockCallerResolver(() -> null).resolve(TYPE).user()).isEqualTo("bob");
    }

    @Test
    void withoutARequestIdTheTraceIdIsTheReference() {
        request();

        assertThat(new SpringLockCallerResolver(() -> "4bf92f3577b34da6a3ce929d0e0e4736").resolve(TYPE))
                .isEqualTo(new LockCaller("anonymous", "4bf92f3577b34da6a3ce929d0e0e4736"));
    }

    @Test
    void outsideARequestAndATraceTheCallerIsAnonymousWithANewUlidEachTime() {
        SpringLockCallerResolver resolver = new SpringLockCallerResolver(() -> null);

        List<LockCaller> callers = List.of(resolver.resolve(TYPE), resolver.resolve(TYPE));

        assertThat(callers).extracting(LockCaller::user).containsOnly("anonymous");
        assertThat(callers).extracting(LockCaller::referenceId).doesNotHaveDuplicates()
                .allSatisfy(reference -> assertThat(reference).matches("[0-9A-HJKMNP-TV-Z]{26}"));
    }

    @Test
    void outsideARequestTheAuthenticatedPrincipalStillCounts() {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "scheduler", "n/a", AuthorityUtils.NO_AUTHORITIES));

        assertThat(new SpringLockCallerResolver(() -> "trace-9").resolve(TYPE))
                .isEqualTo(new LockCaller("scheduler", "trace-9"));
    }

    private static MockHttpServletRequest request() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/configdocs/payments");
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        return request;
    }
}

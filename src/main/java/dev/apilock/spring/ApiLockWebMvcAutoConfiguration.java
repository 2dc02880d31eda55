package dev.apilock.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;

/** {@link ApiLockProblemHandler} in a Spring MVC application, unless it has one of its own. */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
public final class ApiLockWebMvcAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ApiLockProblemHandler apiLockProblemHandler(ApiLockProperties properties) {
        return new ApiLockProblemHandler(properties.problem().exposeLockId());
    }
}

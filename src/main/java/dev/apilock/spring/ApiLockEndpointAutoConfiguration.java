package dev.apilock.spring;

import dev.apilock.LockAdmin;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code apilock} Actuator endpoint ({@link ApiLockEndpoint}), when exposed. */
@AutoConfiguration(after = ApiLockAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnAvailableEndpoint(ApiLockEndpoint.class)
public final class ApiLockEndpointAutoConfiguration {

    @Bean
    @ConditionalOnBean(LockAdmin.class)
    @ConditionalOnMissingBean
    ApiLockEndpoint apiLockEndpoint(LockAdmin admin, ApiLockProperties properties) {
        return new ApiLockEndpoint(admin, properties.actuator().forceReleaseEnabled(),
                properties.actuator().historyLimit());
    }
}

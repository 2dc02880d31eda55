package dev.apilock.spring;

import dev.apilock.LockTypes;
import dev.apilock.micrometer.MicrometerLockListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * apilock's meters ({@link MicrometerLockListener}) on Boot's {@link MeterRegistry}, those of every
 * declared type registered at startup, at zero, before any lock.
 */
@AutoConfiguration(after = ApiLockAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, MicrometerLockListener.class})
@ConditionalOnBean({MeterRegistry.class, LockTypes.class})
public final class ApiLockMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MicrometerLockListener apiLockMetrics(MeterRegistry registry, LockTypes types) {
        MicrometerLockListener listener = new MicrometerLockListener(registry);
        listener.register(types.all());
        return listener;
    }
}

package dev.apilock.spring;

import dev.apilock.ApiLocked;
import dev.apilock.ApiLockedInvoker;
import dev.apilock.LockCallerResolver;
import dev.apilock.LockOperations;
import dev.apilock.LockTypes;
import org.springframework.aop.Advisor;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.transaction.interceptor.BeanFactoryTransactionAttributeSourceAdvisor;

/**
 * {@link ApiLocked} on the beans of a Spring application: the advice, ordered just outside
 * Spring's transaction advisor; the {@link ApiLockedInvoker} on the application's
 * {@link LockOperations}; the default {@link LockCallerResolver} (replaced by a bean of the
 * application's own); and the startup check of every annotated method.
 */
@AutoConfiguration(after = ApiLockAutoConfiguration.class, afterName = {
        "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
        "org.springframework.boot.autoconfigure.aop.AopAutoConfiguration"})
@ConditionalOnClass({Advisor.class, BeanFactoryTransactionAttributeSourceAdvisor.class})
@Import(ApiLockedAutoConfiguration.AutoProxying.class)
@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
public final class ApiLockedAutoConfiguration {

    /** Without Micrometer Tracing, or when {@link Tracing} declared none. */
    @Bean
    @ConditionalOnMissingBean
    LockCallerResolver apiLockCallerResolver() {
        return new SpringLockCallerResolver(() -> null);
    }

    @Bean
    @ConditionalOnMissingBean
    ApiLockedInvoker apiLockedInvoker(LockOperations locks, LockTypes types, LockCallerResolver callers) {
        return new ApiLockedInvoker(locks, types, callers);
    }

    /**
     * Infrastructure, so that the auto-proxy creator of {@code @EnableTransactionManagement} applies
     * it too; the invoker and its database are looked up at the first call, not while the advisors
     * are gathered. One less than the transaction advisor's order: just outside it.
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static ApiLockedAdvisor apiLockedAdvisor(ObjectProvider<ApiLockedInvoker> invoker,
                                             ObjectProvider<BeanFactoryTransactionAttributeSourceAdvisor> transactions) {
        return new ApiLockedAdvisor(invoker::getObject, () -> {
            int transactionOrder = transactions.orderedStream()
                    .mapToInt(BeanFactoryTransactionAttributeSourceAdvisor::getOrder)
                    .min().orElse(Ordered.LOWEST_PRECEDENCE);
            return transactionOrder == Ordered.HIGHEST_PRECEDENCE ? transactionOrder : transactionOrder - 1;
        });
    }

    @Bean
    static ApiLockedMethods apiLockedMethods(ConfigurableListableBeanFactory beanFactory, ApiLockedAdvisor advisor) {
        return new ApiLockedMethods(beanFactory, advisor);
    }

    /** An auto-proxy creator even where neither Boot's AOP nor transactions registered one. */
    static final class AutoProxying implements ImportBeanDefinitionRegistrar {

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        }
    }

    /**
     * The default resolver with the trace id as the fallback reference, when Micrometer Tracing is
     * present; a nested configuration, processed before the outer one's beans.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.tracing.Tracer")
    static class Tracing {

        @Bean
        @ConditionalOnMissingBean
        LockCallerResolver apiLockTracingCallerResolver(ObjectProvider<io.micrometer.tracing.Tracer> tracer) {
            return new SpringLockCallerResolver(new TraceIds(tracer));
        }
    }
}

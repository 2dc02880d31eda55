package dev.apilock.spring;

import dev.apilock.ApiLockSetupException;
import java.util.Arrays;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Resolves every {@code @ApiLocked} method of every bean once all singletons exist, before the
 * application takes requests: an unknown lock type or a bad wait fails the start, naming the
 * method. A singleton with such methods that did not get the advice (a final class, a bean
 * created before the auto-proxy creator) fails it too, rather than run unlocked.
 */
final class ApiLockedMethods implements SmartInitializingSingleton {

    private final ConfigurableListableBeanFactory beanFactory;
    private final ApiLockedAdvisor advisor;

    ApiLockedMethods(ConfigurableListableBeanFactory beanFactory, ApiLockedAdvisor advisor) {
        this.beanFactory = beanFactory;
        this.advisor = advisor;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (String name : beanFactory.getBeanDefinitionNames()) {
            Class<?> type = beanFactory.getType(name, false);
            if (type == null) {
                continue;
            }
            Class<?> userClass = ClassUtils.getUserClass(type);
            if (!AopUtils.canApply(advisor.getPointcut(), userClass)) {
                continue;
            }
            int[] locked = {0};
            ReflectionUtils.doWithMethods(userClass, method -> {
                if (advisor.getPointcut().getMethodMatcher().matches(method, userClass)) {
                    advisor.resolve(method, userClass);
                    locked[0]++;
                }
            }, ReflectionUtils.USER_DECLARED_METHODS);
            if (locked[0] > 0) {
                requireAdvised(name, userClass);
            }
        }
    }

    private void requireAdvised(String name, Class<?> userClass) {
        if (!beanFactory.containsSingleton(name)) {
            return;
        }
        Object bean = beanFactory.getSingleton(name);
        if (bean == null || bean instanceof FactoryBean<?>) {
            return;
        }
        boolean advised = bean instanceof Advised proxy && Arrays.asList(proxy.getAdvisors()).contains(advisor);
        if (!advised) {
            throw new ApiLockSetupException("Bean '" + name + "' (" + userClass.getName() + ") has @ApiLocked"
                    + " methods but is not proxied with the @ApiLocked advice, so they would run unlocked:"
                    + " is the class final, or is the bean created before the auto-proxy creator"
                    + " (e.g. needed by a BeanPostProcessor)?");
        }
    }
}

/**
 * Spring integration: {@link dev.apilock.ApiLocked} as Spring AOP advice, and the Spring Boot
 * auto-configuration (listed in {@code META-INF/spring/...AutoConfiguration.imports}) that gives an
 * application its {@link dev.apilock.LockTemplate}, {@link dev.apilock.LockAdmin}, 409 problems for
 * Spring MVC, meters and the {@code apilock} Actuator endpoint from {@code apilock.*} properties.
 * Optional: nothing here is loaded unless Spring is on the class path, and each auto-configuration
 * only when what it needs is. Arguments and results are non-null unless marked {@code @Nullable}.
 */
package dev.apilock.spring;

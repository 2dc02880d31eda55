package dev.apilock.spring;

import dev.apilock.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

/** Spring Boot as an application gets it: its JPA, Liquibase and transactions, and apilock's auto-configuration. */
final class Boot {

    static final AutoConfigurations JPA_APPLICATION = AutoConfigurations.of(
            DataSourceAutoConfiguration.class,
            HibernateJpaAutoConfiguration.class,
            LiquibaseAutoConfiguration.class,
            TransactionAutoConfiguration.class,
            AopAutoConfiguration.class);

    static final AutoConfigurations APILOCK = AutoConfigurations.of(
            ApiLockEntityAutoConfiguration.class,
            ApiLockAutoConfiguration.class,
            ApiLockMetricsAutoConfiguration.class,
            ApiLockedAutoConfiguration.class,
            ApiLockWebMvcAutoConfiguration.class,
            ApiLockEndpointAutoConfiguration.class);

    static final String MASTER_CHANGELOG = "spring.liquibase.change-log=classpath:dev/apilock/spring/testapp/master.xml";

    private Boot() {
    }

    /** On {@code database}, whose schema the application's Liquibase master changelog completes. */
    static ApplicationContextRunner on(TestDatabase database) {
        return on(database.url(), database.user(), database.password());
    }

    static ApplicationContextRunner on(String url, String user, String password) {
        return new ApplicationContextRunner()
                .withConfiguration(JPA_APPLICATION)
                .withConfiguration(APILOCK)
                .withPropertyValues(settings(url, user, password));
    }

    /** As {@link #on}, in a servlet web application context (no server). */
    static WebApplicationContextRunner webOn(String url, String user, String password) {
        return new WebApplicationContextRunner()
                .withConfiguration(JPA_APPLICATION)
                .withConfiguration(APILOCK)
                .withPropertyValues(settings(url, user, password));
    }

    static String[] settings(String url, String user, String password) {
        return new String[] {
                "spring.datasource.url=" + url,
                "spring.datasource.username=" + user,
                "spring.datasource.password=" + password,
                "spring.datasource.hikari.maximum-pool-size=6",
                MASTER_CHANGELOG,
                "spring.jpa.hibernate.ddl-auto=validate",
                "spring.jpa.open-in-view=false"};
    }

    /**
     * The application on {@code database} as {@code SpringApplication.run} starts it, with every
     * auto-configuration on the class path (apilock's found through its imports file), no web
     * server; the caller closes it.
     */
    static ConfigurableApplicationContext start(TestDatabase database, Class<?> application, String... properties) {
        List<String> settings = new ArrayList<>(List.of(settings(database.url(), database.user(), database.password())));
        settings.add("spring.main.banner-mode=off");
        settings.addAll(List.of(properties));
        return new SpringApplicationBuilder(application, AutoConfigured.class)
                .web(WebApplicationType.NONE)
                .properties(settings.toArray(String[]::new))
                .run();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class AutoConfigured {
    }

    /** A fresh, empty in-memory H2 database: no table in it. */
    static String emptyH2() {
        return "jdbc:h2:mem:spring_" + java.util.UUID.randomUUID().toString().substring(0, 8) + ";DB_CLOSE_DELAY=-1";
    }
}

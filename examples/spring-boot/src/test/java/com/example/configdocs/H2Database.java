package com.example.configdocs;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfiguration;

/**
 * Runs a test class's application on an in-memory H2 database of its own. It lives as long as
 * the JVM ({@code DB_CLOSE_DELAY=-1}), so a second instance started in the test shares it, and
 * is shut down when the test's application context closes.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ContextConfiguration(initializers = H2Database.FreshDatabase.class)
public @interface H2Database {

    final class FreshDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            String url = "jdbc:h2:mem:configdocs_" + UUID.randomUUID().toString().substring(0, 8) + ";DB_CLOSE_DELAY=-1";
            TestPropertyValues.of("spring.datasource.url=" + url, "spring.datasource.username=sa",
                    "spring.datasource.password=").applyTo(context);
            // Registered before every other bean, so destroyed after them: after the pools closed.
            ((DefaultSingletonBeanRegistry) context.getBeanFactory()).registerDisposableBean("shutDownH2", () -> {
                try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
                    connection.createStatement().execute("SHUTDOWN");
                }
            });
        }
    }
}

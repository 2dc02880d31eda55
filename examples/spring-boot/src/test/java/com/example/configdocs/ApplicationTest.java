package com.example.configdocs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apilock.LockAdmin;
import dev.apilock.LockType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The application on a real server port and a real database (chosen by the subclass's
 * {@link H2Database} or {@link PostgresDatabase}), with the {@link TestHooks}. Each class gets a
 * context of its own, closed after it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(TestHooks.class)
@DirtiesContext
abstract class ApplicationTest {

    /** What a second instance needs to run like this one, on the same database. */
    private static final List<String> SHARED_SETTINGS = List.of(
            "spring.datasource.url",
            "spring.datasource.username",
            "spring.datasource.password",
            "spring.datasource.hikari.auto-commit",
            "spring.jpa.properties.hibernate.connection.provider_disables_autocommit",
            "apilock.datasource.url",
            "apilock.datasource.username",
            "apilock.datasource.password",
            "apilock.actuator.force-release-enabled");

    /** The demo editors, by turn. */
    static String editor(int i) {
        return SecurityConfiguration.EDITORS[Math.floorMod(i, SecurityConfiguration.EDITORS.length)];
    }

    @LocalServerPort
    int port;

    @Autowired
    TestHooks hooks;

    @Autowired
    Environment environment;

    @Autowired
    DataSource dataSource;

    @Autowired
    LockAdmin admin;

    ConfigDocsClient client;

    /** Plain SQL on the database, to check what the HTTP answers claim. */
    JdbcClient jdbc;

    @BeforeEach
    void connect() {
        client = new ConfigDocsClient(port);
        jdbc = JdbcClient.create(dataSource);
    }

    @AfterEach
    void resetHooks() {
        hooks.reset();
    }

    /** Every test ends with the lock free; one left held is released, so later tests start clean. */
    @AfterEach
    void noLockIsLeftHeld() {
        List<String> held = unreleasedLocks();
        if (!held.isEmpty()) {
            forceReleaseLeftovers();
        }
        assertThat(held).as("requests whose lock is still held after the test").isEmpty();
    }

    /** As an operator would. */
    private void forceReleaseLeftovers() {
        admin.forceRelease(LockType.CONFIGDOCS_UPDATE.name());
    }

    /** Another instance of the application, on its own port, on the same database. */
    ConfigurableApplicationContext startSecondInstance() {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0"));
        for (String key : SHARED_SETTINGS) {
            String value = environment.getProperty(key);
            if (value != null) {
                arguments.add("--" + key + "=" + value);
            }
        }
        return new SpringApplicationBuilder(ConfigDocsApplication.class, TestHooks.class)
                .run(arguments.toArray(String[]::new));
    }

    static ConfigDocsClient clientOf(ConfigurableApplicationContext instance) {
        return new ConfigDocsClient(instance.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }

    static TestHooks hooksOf(ConfigurableApplicationContext instance) {
        return instance.getBean(TestHooks.class);
    }

    /** The document's row, or an empty map. */
    Map<String, Object> documentRow(String name) {
        return jdbc.sql("SELECT content, revision, fencing_token, updated_by FROM config_documents WHERE name = ?")
                .param(name).query().listOfRows().stream().findFirst().orElse(Map.of());
    }

    /** The lock rows recorded for a request id, oldest first. */
    List<Map<String, Object>> lockRows(String requestId) {
        return jdbc.sql("SELECT id, locked_by, released, release_reason, fencing_token FROM api_locks"
                        + " WHERE reference_id = ? ORDER BY fencing_token")
                .param(requestId).query().listOfRows();
    }

    /** Request ids of the locks that are unreleased now. */
    List<String> unreleasedLocks() {
        return jdbc.sql("SELECT reference_id FROM api_locks WHERE released = FALSE").query(String.class).list();
    }
}

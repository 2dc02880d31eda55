package dev.apilock.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apilock.ApiLockSchema;
import dev.apilock.ApiLocked;
import dev.apilock.ApiLockedInvoker;
import dev.apilock.LockAdmin;
import dev.apilock.LockCaller;
import dev.apilock.LockCallerResolver;
import dev.apilock.LockHandle;
import dev.apilock.LockOperations;
import dev.apilock.LockTemplate;
import dev.apilock.LockType;
import dev.apilock.LockTypes;
import dev.apilock.micrometer.MicrometerLockListener;
import dev.apilock.store.ApiLockEntity;
import dev.apilock.spring.testapp.Counter;
import dev.apilock.spring.testapp.LockedType;
import dev.apilock.spring.testapp.TestApplication;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.persistence.EntityManagerFactory;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.stereotype.Service;

/** What the auto-configuration gives an application on H2, and what it leaves to the application. */
class ApiLockAutoConfigurationTest {

    private ApplicationContextRunner application() {
        return Boot.on(emptyH2(), "sa", "").withUserConfiguration(TestApplication.class);
    }

    private WebApplicationContextRunner webApplication() {
        return Boot.webOn(emptyH2(), "sa", "").withUserConfiguration(TestApplication.class)
                .withPropertyValues("management.endpoints.web.exposure.include=apilock");
    }

    private static String emptyH2() {
        return Boot.emptyH2();
    }

    @Test
    void anApplicationGetsItsLockBeansOnBootsEntityManagerFactory() {
        application().withPropertyValues("apilock.types.invoice-export.expires=5m",
                        "apilock.types.invoice-export.keep-alive=true", "apilock.types.configdocs_update.expires=90")
                .run(context -> {
                    assertThat(context).hasNotFailed()
                            .hasSingleBean(LockTemplate.class).hasSingleBean(LockAdmin.class)
                            .hasSingleBean(ApiLockedInvoker.class).hasSingleBean(LockCallerResolver.class);
                    assertThat(context.getBean(LockTypes.class).all()).containsExactlyInAnyOrder(
                            LockType.of("configdocs_update", Duration.ofSeconds(90)),
                            LockType.of("invoice-export", Duration.ofMinutes(5)).withKeepAlive(),
                            LockType.of("nightly-report", Duration.ofMinutes(5)));
                    EntityManagerFactory host = context.getBean(EntityManagerFactory.class);
                    assertThat(host.getMetamodel().getEntities()).extracting(type -> (Object) type.getJavaType())
                            .as("apilock's entity beside the application's, found by Boot's own scan")
                            .contains(ApiLockEntity.class, Counter.class);
                    long token = context.getBean(LockOperations.class).execute(LockType.CONFIGDOCS_UPDATE, "req-1",
                            "alice", LockHandle::fencingToken);
                    assertThat(context.getBean(LockAdmin.class).history(1)).singleElement()
                            .satisfies(lock -> assertThat(lock.fencingToken()).isEqualTo(token));
                });
    }

    @Test
    void theApplicationsOwnBeansWin() {
        LockCallerResolver ownCallers = type -> new LockCaller("batch", "nightly");
        application().withBean("ownCallers", LockCallerResolver.class, () -> ownCallers)
                .withBean("ownTypes", LockTypes.class, () -> LockTypes.of(List.of(LockType.of("nightly-report",
                        Duration.ofSeconds(7)))))
                .withBean("ownProblems", ApiLockProblemHandler.class, () -> new ApiLockProblemHandler(true))
                .withUserConfiguration(OwnTemplate.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(LockCallerResolver.class)).isSameAs(ownCallers);
                    assertThat(context.getBean(LockTypes.class).find("nightly-report")).map(LockType::expiresAfter)
                            .contains(Duration.ofSeconds(7));
                    assertThat(context).getBeans(LockOperations.class).containsOnlyKeys("ownTemplate");
                    assertThat(context).getBeans(ApiLockProblemHandler.class).containsOnlyKeys("ownProblems");
                    LockHandle lock = context.getBean(LockedType.class).run().orElseThrow();
                    assertThat(context.getBean(LockAdmin.class).find(lock.lockId())).hasValueSatisfying(row -> {
                        assertThat(row.user()).isEqualTo("batch");
                        assertThat(row.referenceId()).isEqualTo("nightly");
                    });
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnTemplate {
        @Bean
        LockTemplate ownTemplate(EntityManagerFactory entityManagerFactory) {
            return new LockTemplate(entityManagerFactory);
        }
    }

    @Test
    void anUnknownLockTypeFailsTheStartNamingTheMethod() {
        application().withUserConfiguration(Misdeclared.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure())).hasMessageStartingWith(
                    "Unknown lock type 'no-such-type' in @ApiLocked on " + Misdeclared.class.getName() + ".update:")
                    .hasMessageContaining("apilock.types.no-such-type.expires");
        });
    }

    @Test
    void aMalformedWaitFailsTheStartNamingTheMethod() {
        application().withUserConfiguration(BadWait.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("Malformed maxWait 'soon' in @ApiLocked on " + BadWait.class.getName() + ".update");
        });
    }

    @Test
    void aDeclaredTypeWithoutAnExpiryFailsTheStartNamingTheProperty() {
        application().withPropertyValues("apilock.types.export.keep-alive=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("apilock.types.export.expires is not set");
        });
    }

    @Service
    static class Misdeclared {
        @ApiLocked("no-such-type")
        public void update() {
        }
    }

    @Service
    static class BadWait {
        @ApiLocked(value = "configdocs_update", maxWait = "soon")
        public void update() {
        }
    }

    @Test
    void missingTablesFailTheStartWithTheChangelogIncludeToAdd() {
        application().withPropertyValues(
                        "spring.liquibase.change-log=classpath:dev/apilock/spring/testapp/master-without-apilock.xml",
                        "spring.jpa.hibernate.ddl-auto=none")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new ApiLockSchemaFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("api_locks, api_lock_holders");
                    assertThat(analysis.getAction())
                            .contains("<include file=\"dev/apilock/changelog/apilock.changelog.xml\"/>");
                });
    }

    @Test
    void missingTablesFoundByHibernatesValidationAreExplainedTheSameWay() {
        application().withPropertyValues(
                        "spring.liquibase.change-log=classpath:dev/apilock/spring/testapp/master-without-apilock.xml",
                        "spring.jpa.hibernate.ddl-auto=validate")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new ApiLockSchemaFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getAction()).contains("<include file=\"" + ApiLockSchema.CHANGELOG + "\"/>");
                });
    }

    @Test
    void theFailureAnalyzerAndTheAutoConfigurationsAreRegisteredForBoot() throws Exception {
        List<String> analyzers = new ArrayList<>();
        for (URL factories : Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
            Properties properties = PropertiesLoaderUtils.loadProperties(new UrlResource(factories));
            analyzers.add(properties.getProperty(FailureAnalyzer.class.getName(), ""));
        }
        assertThat(analyzers).anySatisfy(names -> assertThat(names).contains(ApiLockSchemaFailureAnalyzer.class.getName()));
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).getCandidates())
                .contains(ApiLockEntityAutoConfiguration.class.getName(), ApiLockAutoConfiguration.class.getName(),
                        ApiLockMetricsAutoConfiguration.class.getName(), ApiLockedAutoConfiguration.class.getName(),
                        ApiLockWebMvcAutoConfiguration.class.getName(),
                        ApiLockEndpointAutoConfiguration.class.getName());
    }

    @Test
    void theConfigurationMetadataDescribesTheProperties() throws Exception {
        try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(metadata).as("spring-configuration-metadata.json").isNotNull();
            assertThat(new String(metadata.readAllBytes(), StandardCharsets.UTF_8)).contains(
                    "\"apilock.types\"", "\"apilock.datasource.url\"", "\"apilock.datasource.maximum-pool-size\"",
                    "\"apilock.problem.expose-lock-id\"", "\"apilock.actuator.force-release-enabled\"");
        }
    }

    @Test
    void aDedicatedPoolServesTheLockWithoutASecondDataSourceBeanOrTheEntityInTheApplicationsUnit() throws Exception {
        String url = emptyH2();
        try (Connection keepAlive = DriverManager.getConnection(url, "sa", "")) {
            Boot.on(url, "sa", "").withUserConfiguration(TestApplication.class)
                    .withPropertyValues("apilock.datasource.url=" + url, "apilock.datasource.username=sa",
                            "apilock.datasource.maximum-pool-size=3")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context).getBeans(DataSource.class).hasSize(1);
                        assertThat(context.getBean(EntityManagerFactory.class).getMetamodel().getEntities())
                                .extracting(type -> (Object) type.getJavaType()).contains(Counter.class)
                                .doesNotContain(ApiLockEntity.class);
                        assertThat(context.getBean(ApiLockUnit.class).entityManagerFactory())
                                .isNotSameAs(context.getBean(EntityManagerFactory.class));
                        context.getBean(LockOperations.class).execute(LockType.CONFIGDOCS_UPDATE, "req-own-pool",
                                "alice", lock -> null);
                        assertThat(context.getBean(LockAdmin.class).history(1)).singleElement()
                                .satisfies(lock -> assertThat(lock.referenceId()).isEqualTo("req-own-pool"));
                    });
        }
    }

    @Test
    void declaredTypesHaveTheirMetersFromTheStartAndCountLocks() {
        application().withPropertyValues("apilock.types.invoice-export.expires=5m")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(MicrometerLockListener.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    for (String type : List.of("configdocs_update", "invoice-export", "nightly-report")) {
                        assertThat(registry.find("apilock.acquire").tags("type", type, "outcome", "blocked").counter())
                                .as(type).isNotNull();
                    }
                    context.getBean(LockedType.class).run();
                    assertThat(registry.get("apilock.acquire").tags("type", "nightly-report", "outcome", "acquired")
                            .counter().count()).isEqualTo(1);
                    assertThat(registry.get("apilock.release").tags("type", "nightly-report", "outcome", "released")
                            .counter().count()).isEqualTo(1);
                });
    }

    @Test
    void withoutAMeterRegistryThereIsNoMetricsListener() {
        application().run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerLockListener.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theEndpointShowsHeldLocksAndReleasesThemOnlyWhenEnabled() {
        webApplication().run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ApiLockEndpoint.class);
            ApiLockEndpoint endpoint = context.getBean(ApiLockEndpoint.class);
            context.getBean(LockOperations.class).execute(LockType.CONFIGDOCS_UPDATE, "req-held", "alice", lock -> {
                assertThat(endpoint.locks().held()).singleElement()
                        .satisfies(held -> assertThat(held.lockId()).isEqualTo(lock.lockId()));
                WebEndpointResponse<Map<String, Object>> refused = endpoint.release("types", "configdocs_update");
                assertThat(refused.getStatus()).isEqualTo(403);
                assertThat((String) refused.getBody().get("error")).contains("apilock.actuator.force-release-enabled");
                assertThat(lock.isHeld()).isTrue();
                return null;
            });
            assertThat(endpoint.locks().held()).isEmpty();
            assertThat(endpoint.locks().history()).extracting(lock -> lock.referenceId()).contains("req-held");
        });
        webApplication().withPropertyValues("apilock.actuator.force-release-enabled=true").run(context -> {
            ApiLockEndpoint endpoint = context.getBean(ApiLockEndpoint.class);
            context.getBean(LockOperations.class).execute(LockType.CONFIGDOCS_UPDATE, "req-stuck", "bob", lock -> {
                WebEndpointResponse<Map<String, Object>> released = endpoint.release("locks", lock.lockId());
                assertThat(released.getStatus()).isEqualTo(200);
                assertThat(endpoint.locks().held()).isEmpty();
                assertThat(endpoint.release("types", "configdocs_update").getStatus()).isEqualTo(404);
                assertThat(endpoint.release("holders", "x").getStatus()).isEqualTo(400);
                return null;
            });
        });
    }
}

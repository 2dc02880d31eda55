package dev.apilock.spring.testapp;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * A host application: its entity ({@link Counter}, found by Boot's own entity scan of this
 * package) and the {@code @ApiLocked} services that the tests call, written in every way the
 * annotation and {@code @Transactional} combine.
 */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
@ComponentScan
public class TestApplication {
}

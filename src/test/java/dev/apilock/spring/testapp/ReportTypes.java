package dev.apilock.spring.testapp;

import dev.apilock.LockType;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A lock type declared as a bean. */
@Configuration(proxyBeanMethods = false)
public class ReportTypes {

    @Bean
    LockType nightlyReport() {
        return LockType.of("nightly-report", Duration.ofMinutes(5));
    }
}

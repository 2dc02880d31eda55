package com.example.configdocs;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.configdocs.ConfigDocsClient.Response;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Without a lock pool, on an application pool of one connection: the transaction holds it, and
 * the lock, which needs a connection of its own, cannot get one.
 */
@TestPropertySource(properties = {
        "spring.datasource.hikari.maximum-pool-size=1",
        "spring.datasource.hikari.connection-timeout=250"})
abstract class SharedPoolExhaustionContract extends ApplicationTest {

    @Test
    void aTransactionHoldingThePoolsLastConnectionIsAnswered503NamingThePool() throws Exception {
        Response response = client.update("starved", "content", "alice", "req-starved", null);
        System.out.printf("%s: %d %s%n", getClass().getSimpleName(), response.status(), response.body());

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.text("detail")).containsIgnoringCase("pool");
        assertThat(documentRow("starved")).isEmpty();
        assertThat(unreleasedLocks()).isEmpty();
        assertThat(client.get("starved").status()).as("the service still answers").isEqualTo(404);
    }
}

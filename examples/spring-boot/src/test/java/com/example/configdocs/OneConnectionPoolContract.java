package com.example.configdocs;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.configdocs.ConfigDocsClient.Response;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * On an application pool of one connection and no pool of apilock's own: the annotation takes the
 * lock before the transaction begins and releases it after the transaction gave its connection
 * back, so the lock and the transaction use the one connection in turn.
 */
@TestPropertySource(properties = {
        "spring.datasource.hikari.maximum-pool-size=1",
        "spring.datasource.hikari.connection-timeout=2000"})
abstract class OneConnectionPoolContract extends ApplicationTest {

    @Test
    void anUpdateNeedsOneConnectionAtATime() throws Exception {
        Response first = client.update("one-connection", "first", "alice", "req-one-1", false);
        Response second = client.update("one-connection", "second", "bob", "req-one-2", false);

        assertThat(first.status()).as("%s", first.body()).isEqualTo(200);
        assertThat(second.status()).as("%s", second.body()).isEqualTo(200);
        assertThat(documentRow("one-connection")).containsEntry("content", "second").containsEntry("revision", 2L);
        assertThat(unreleasedLocks()).isEmpty();
    }
}

package com.example.configdocs;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code app.lock-pool.*}: a small connection pool of apilock's own. Without it apilock borrows
 * from the application's pool, where a transactional request already holds one connection and
 * needs a second for the lock: under load every connection can be held by a request waiting
 * for another.
 *
 * @param enabled whether apilock gets a pool of its own
 * @param url     JDBC URL, by default the application's
 * @param size    connections in the pool
 */
@ConfigurationProperties("app.lock-pool")
record LockPoolProperties(boolean enabled, String url, String username, String password,
                          @DefaultValue("2") int size) {
}

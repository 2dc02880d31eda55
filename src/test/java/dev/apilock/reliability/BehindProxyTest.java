package dev.apilock.reliability;

import dev.apilock.ApiLockPersistence;
import jakarta.persistence.EntityManagerFactory;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fault test with a {@link TcpProxy} between application instances and the database, started
 * for each test: instances are made behind it, or straight to the database, each on a pool of
 * two connections and apilock's own persistence unit, closed after the test.
 */
abstract class BehindProxyTest extends ReliabilityTest {

    TcpProxy proxy;
    private final List<EntityManagerFactory> factories = new ArrayList<>();

    @BeforeEach
    void startProxy() {
        proxy = TcpProxy.start(database.serverPort());
    }

    /** The proxy first: its sockets closed, nothing is left waiting for an answer that was dropped. */
    @AfterEach
    void stopProxy() {
        proxy.close();
        factories.forEach(EntityManagerFactory::close);
        factories.clear();
    }

    /** An instance's pool, every connection through the proxy. */
    DataSource poolBehindProxy(String application) {
        return database.pool(database.urlThrough(proxy), application, 2);
    }

    /** An instance's pool, connected straight to the database. */
    DataSource directPool(String application) {
        return database.pool(application, 2);
    }

    /** apilock's persistence unit on {@code pool}, closed after the test. */
    EntityManagerFactory unit(DataSource pool) {
        EntityManagerFactory factory = ApiLockPersistence.createEntityManagerFactory(pool);
        factories.add(factory);
        return factory;
    }
}

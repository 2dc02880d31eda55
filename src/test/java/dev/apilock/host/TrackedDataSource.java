package dev.apilock.host;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A pool as the persistence unit sees it, wrapped to record, for every connection handed out, the
 * physical connection's identity (the server's session id, read from the driver without a query)
 * and its state when borrowed and when given back: auto-commit, isolation, read-only, the driver's
 * transaction state where it tells one, and PostgreSQL's {@code synchronous_commit}.
 */
public final class TrackedDataSource {

    /** A connection's state: equal before and after means it was given back as found. */
    public record State(boolean autoCommit, int isolation, boolean readOnly, String transaction, String synchronousCommit) {
    }

    /** One borrowing; {@code byApilock} when apilock's own store asked for the connection. */
    public record Borrow(String sessionId, String thread, boolean byApilock, State borrowed, State returned) {
    }

    private final DataSource target;
    private final List<Borrow> borrows = new ArrayList<>();
    private volatile boolean tracking = true;

    public TrackedDataSource(DataSource target) {
        this.target = target;
    }

    public DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    return method.getName().equals("getConnection") ? track((Connection) result) : result;
                });
    }

    /** apilock's borrowings given back so far. */
    public synchronized List<Borrow> returnedByApilock() {
        return borrows.stream().filter(Borrow::byApilock).toList();
    }

    public synchronized void clear() {
        borrows.clear();
    }

    /** Stops reading states (for a pool about to be closed). */
    public void stopTracking() {
        tracking = false;
    }

    private Connection track(Connection connection) throws SQLException {
        if (!tracking) {
            return connection;
        }
        String session = sessionId(connection);
        State borrowed = state(connection);
        String thread = Thread.currentThread().getName();
        boolean byApilock = StackWalker.getInstance().walk(frames -> frames.anyMatch(
                frame -> frame.getClassName().startsWith("dev.apilock.store.")));
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && tracking && !connection.isClosed()) {
                        State returned = state(connection);
                        synchronized (this) {
                            borrows.add(new Borrow(session, thread, byApilock, borrowed, returned));
                        }
                    }
                    return invoke(connection, method, args);
                });
    }

    /** The server's id of the session behind a pooled connection, without sending anything. */
    public static String sessionId(Connection connection) throws SQLException {
        if (connection.isWrapperFor(org.postgresql.PGConnection.class)) {
            return "pg-" + connection.unwrap(org.postgresql.PGConnection.class).getBackendPID();
        }
        if (connection.isWrapperFor(org.mariadb.jdbc.Connection.class)) {
            return "mariadb-" + connection.unwrap(org.mariadb.jdbc.Connection.class).getThreadId();
        }
        if (connection.isWrapperFor(org.h2.jdbc.JdbcConnection.class)) {
            return "h2-" + System.identityHashCode(connection.unwrap(org.h2.jdbc.JdbcConnection.class));
        }
        throw new IllegalStateException("unknown driver behind " + connection);
    }

    private static State state(Connection connection) throws SQLException {
        String transaction = null;
        String synchronousCommit = null;
        if (connection.isWrapperFor(org.postgresql.core.BaseConnection.class)) {
            org.postgresql.core.BaseConnection pg = connection.unwrap(org.postgresql.core.BaseConnection.class);
            transaction = pg.getTransactionState().name();
            if (connection.getAutoCommit()) { // a query here would begin a transaction otherwise
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("SHOW synchronous_commit")) {
                    rs.next();
                    synchronousCommit = rs.getString(1);
                }
            }
        }
        return new State(connection.getAutoCommit(), connection.getTransactionIsolation(), connection.isReadOnly(),
                transaction, synchronousCommit);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

package dev.apilock.bench;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The driver-level data source under a benchmark pool: it counts the JDBC calls of its connections
 * that send a request to the server and wait for the answer. It sits between the pool and the
 * driver, so the pool's own calls (validation, resetting a connection's state) count too.
 *
 * <p>Counted: every statement execution ({@code execute*}, a batch as one: the drivers send a
 * batch, like PostgreSQL's multi-statement string, as one pipelined request), {@code commit},
 * {@code rollback}, {@code setAutoCommit}, {@code setTransactionIsolation}, {@code setReadOnly} and
 * {@code isValid}. This errs high: PostgreSQL's driver answers some of these without the server.
 * On H2 in memory there is no network; the count is then of calls into the database engine.
 */
final class RoundTrips implements DataSource {

    private static final Set<String> STATEMENT_CALLS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "executeBatch", "executeLargeBatch");

    private static final Set<String> CONNECTION_CALLS = Set.of("commit", "rollback", "setAutoCommit",
            "setTransactionIsolation", "setReadOnly", "isValid");

    private final String url;
    private final Properties properties;
    private final LongAdder count = new LongAdder();

    RoundTrips(String url, Properties properties) {
        this.url = url;
        this.properties = properties;
    }

    long count() {
        return count.sum();
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = DriverManager.getConnection(url, properties);
        return proxy(Connection.class, connection, CONNECTION_CALLS);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the benchmark pool's credentials are fixed");
    }

    private <T> T proxy(Class<T> type, T target, Set<String> counted) {
        InvocationHandler handler = (self, method, args) -> invoke(target, counted, method, args);
        return type.cast(Proxy.newProxyInstance(RoundTrips.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private Object invoke(Object target, Set<String> counted, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (name.equals("unwrap") && ((Class<?>) args[0]).isInstance(target)) {
            return target;
        }
        if (name.equals("isWrapperFor") && ((Class<?>) args[0]).isInstance(target)) {
            return true;
        }
        if (counted.contains(name)) {
            count.increment();
        }
        Object result;
        try {
            result = method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        // Statements of a connection count as their connection's.
        if (result instanceof CallableStatement statement) {
            return proxy(CallableStatement.class, statement, STATEMENT_CALLS);
        }
        if (result instanceof PreparedStatement statement) {
            return proxy(PreparedStatement.class, statement, STATEMENT_CALLS);
        }
        if (result instanceof Statement statement && !(target instanceof Statement)) {
            return proxy(Statement.class, statement, STATEMENT_CALLS);
        }
        return result;
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // DriverManager logs, if anything
    }

    @Override
    public void setLoginTimeout(int seconds) {
        DriverManager.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
        return DriverManager.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}

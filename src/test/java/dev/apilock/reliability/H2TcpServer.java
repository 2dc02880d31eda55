package dev.apilock.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.h2.tools.Server;

/**
 * H2 in server mode, inside the test JVM: a TCP server on a free port over a file database in a
 * temporary directory, so that separate processes share one H2 database.
 */
final class H2TcpServer implements AutoCloseable {

    private final Server server;
    private final Path baseDir;

    private H2TcpServer(Server server, Path baseDir) {
        this.server = server;
        this.baseDir = baseDir;
    }

    static H2TcpServer start() {
        try {
            Path baseDir = Files.createTempDirectory("apilock-h2-");
            Server server = Server.createTcpServer(
                    "-tcpPort", Integer.toString(freePort()), "-ifNotExists", "-baseDir", baseDir.toString()).start();
            return new H2TcpServer(server, baseDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not start an H2 TCP server", e);
        }
    }

    /** The JDBC URL of database {@code name}, created on first connection. */
    String url(String name) {
        return "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/" + name;
    }

    int port() {
        return server.getPort();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.stop();
        TempFiles.deleteQuietly(baseDir);
    }
}

package dev.apilock.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on the loopback interface in front of a database port, which a test can cut (every
 * open connection dropped, new ones refused: the database is unreachable) and restore.
 */
final class TcpProxy implements AutoCloseable {

    private final int targetPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    /** Directions in which bytes are read and dropped instead of forwarded. */
    private volatile boolean dropToServer;
    private volatile boolean dropToClient;
    private Socket reservation;

    private TcpProxy(int targetPort, int port) {
        this.targetPort = targetPort;
        this.port = port;
    }

    /** A proxy on a free loopback port forwarding to {@code 127.0.0.1:targetPort}. */
    static TcpProxy start(int targetPort) {
        try {
            TcpProxy proxy = new TcpProxy(targetPort, H2TcpServer.freePort());
            proxy.listen();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /**
     * Drops every open connection and refuses new ones, as a database that went away. The port
     * stays reserved by a bound, non-listening socket, so that nothing else (an outgoing
     * connection's ephemeral port) takes it before {@link #restore()}.
     */
    synchronized void cut() {
        if (server != null) {
            try {
                Socket reserve = new Socket();
                reserve.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                reserve.setReuseAddress(true);
                reserve.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                reservation = reserve;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            closeQuietly(server);
            server = null;
        }
        dropConnections();
    }

    /** Drops every open connection but keeps accepting new ones, as a network blip. */
    synchronized void dropConnections() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /** Which way a silenced proxy drops what it reads. */
    enum Direction {
        /** Requests never arrive. */
        TO_SERVER,
        /** Answers never arrive. */
        TO_CLIENT,
        /** Nothing arrives either way. */
        BOTH
    }

    /**
     * Keeps every connection open and accepts new ones, but forwards nothing in {@code direction}:
     * what it reads is dropped, as by a firewall that drops packets without a reset, a lost NAT
     * entry or a dead switch port. Nobody is told; reads on the other side just never return.
     */
    void silence(Direction direction) {
        dropToServer = direction != Direction.TO_CLIENT;
        dropToClient = direction != Direction.TO_SERVER;
    }

    /** Forwards again after {@link #silence}; what was dropped stays lost. */
    void speak() {
        dropToServer = false;
        dropToClient = false;
    }

    /** Accepts connections again after {@link #cut()}. */
    synchronized void restore() {
        if (server == null) {
            try {
                listen();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            closeQuietly(reservation);
            reservation = null;
        }
    }

    private void listen() throws IOException {
        ServerSocket listening = new ServerSocket();
        listening.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        listening.setReuseAddress(true);
        listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = listening;
        Thread acceptor = new Thread(() -> accept(listening), "proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                if (!admit(listening, client)) {
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                if (!admit(listening, upstream)) {
                    closeQuietly(client);
                    continue;
                }
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                // closed by cut(), or one connection failed: go on while listening
            }
        }
    }

    /**
     * Keeps a socket for {@link #dropConnections()}, unless a cut came between its accept and now:
     * a connection accepted as the cut happened must not outlive it.
     */
    private synchronized boolean admit(ServerSocket listening, Socket socket) {
        if (server != listening) {
            closeQuietly(socket);
            return false;
        }
        sockets.add(socket);
        return true;
    }

    private void pump(Socket from, Socket to, boolean toServer) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (toServer ? dropToServer : dropToClient) {
                        continue;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // the connection ended
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "proxy-pump-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                // already gone
            }
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly(server);
        server = null;
        closeQuietly(reservation);
        reservation = null;
        dropConnections();
    }
}

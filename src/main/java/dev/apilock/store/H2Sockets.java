package dev.apilock.store;

import java.lang.reflect.Field;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.h2.engine.Session;
import org.h2.engine.SessionRemote;
import org.h2.jdbc.JdbcConnection;
import org.h2.value.Transfer;
import org.slf4j.LoggerFactory;

/**
 * The sockets of a remote H2 session, which H2's driver does not expose: its list of transfers is a
 * private field of {@link SessionRemote}. If an H2 version has no such field, H2 connections go
 * without a network timeout, as the driver itself does, and that is logged once.
 */
final class H2Sockets {

    private static final Field TRANSFERS = transfersField();

    private H2Sockets() {
    }

    /** The sockets of the H2 session behind {@code connection}; none for an embedded session. */
    static List<Socket> of(Connection connection) throws SQLException {
        if (TRANSFERS == null || !connection.isWrapperFor(JdbcConnection.class)) {
            return List.of();
        }
        Session session = connection.unwrap(JdbcConnection.class).getSession();
        if (!(session instanceof SessionRemote remote)) {
            return List.of();
        }
        List<Socket> sockets = new ArrayList<>();
        try {
            Object transfers = TRANSFERS.get(remote);
            if (transfers instanceof List<?> list) {
                for (Object transfer : list) {
                    if (transfer instanceof Transfer t && t.getSocket() != null) {
                        sockets.add(t.getSocket());
                    }
                }
            }
        } catch (IllegalAccessException e) {
            return List.of();
        }
        return sockets;
    }

    private static Field transfersField() {
        try {
            Field field = SessionRemote.class.getDeclaredField("transferList");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LoggerFactory.getLogger(H2Sockets.class).warn("Remote H2 connections get no network timeout: this H2"
                    + " version keeps its sockets out of reach ({})", e.toString());
            return null;
        }
    }
}

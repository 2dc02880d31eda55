package dev.apilock.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether stderr is a terminal, and how wide. Java cannot tell for stderr by itself: the launcher
 * says so ({@code -Dapilock.stderr.tty=true}, {@code -Dapilock.stderr.columns=N}), and without
 * it, on Linux, where file descriptor 2 leads says so.
 */
final class Terminal {

    static final String TTY_PROPERTY = "apilock.stderr.tty";
    static final String COLUMNS_PROPERTY = "apilock.stderr.columns";
    private static final int DEFAULT_COLUMNS = 80;

    private Terminal() {
    }

    static boolean stderrIsTerminal() {
        String told = System.getProperty(TTY_PROPERTY);
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    static int columns() {
        for (String value : new String[] {System.getProperty(COLUMNS_PROPERTY), System.getenv("COLUMNS")}) {
            if (value != null && value.strip().matches("[1-9][0-9]{0,3}")) {
                return Integer.parseInt(value.strip());
            }
        }
        return DEFAULT_COLUMNS;
    }
}

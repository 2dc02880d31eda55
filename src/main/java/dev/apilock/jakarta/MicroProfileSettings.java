package dev.apilock.jakarta;

import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.slf4j.LoggerFactory;

/** Reads {@link ApiLockSettings} from MicroProfile Config; loaded only when its API is on the class path. */
final class MicroProfileSettings {

    private MicroProfileSettings() {
    }

    static boolean available() {
        try {
            Class.forName("org.eclipse.microprofile.config.ConfigProvider", false,
                    MicroProfileSettings.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static ApiLockSettings read() {
        Config config;
        try {
            config = ConfigProvider.getConfig();
        } catch (IllegalStateException e) {
            // The API without an implementation: nothing is configured.
            LoggerFactory.getLogger(MicroProfileSettings.class).debug("No MicroProfile Config: {}", e.getMessage());
            return ApiLockSettings.of(Map.of());
        }
        return ApiLockSettings.parse(config.getPropertyNames(), name -> config.getOptionalValue(name, String.class));
    }
}

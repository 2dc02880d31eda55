package dev.apilock.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Properties;

/** Where and with what the benchmark ran: printed at the top of the results. */
final class Environment {

    private Environment() {
    }

    static String date() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String machine() {
        long bytes = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return String.format(Locale.ROOT, "%d cores, %.0f GiB RAM%s, %s %s", Runtime.getRuntime().availableProcessors(),
                bytes / (1024.0 * 1024 * 1024), cpuModel(), System.getProperty("os.name"),
                System.getProperty("os.version"));
    }

    static String java() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")";
    }

    /** The one-minute load average, a hint of how busy the machine was. */
    static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", load);
    }

    /**
     * A library's version from the Maven metadata in its jar, else from the manifest of the jar
     * holding {@code member}.
     */
    static String version(String groupId, String artifactId, Class<?> member) {
        String resource = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = Environment.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                String version = member.getPackage().getImplementationVersion();
                return version == null ? "?" : version;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> " (" + line.substring(line.indexOf(':') + 1).trim() + ")")
                    .findFirst().orElse("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}

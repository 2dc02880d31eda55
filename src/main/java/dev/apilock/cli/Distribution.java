package dev.apilock.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * The files {@code mvn package} puts beside the cli jar, made from the command line's own model:
 * the launcher {@code apilock}, shell completion {@code completion/apilock.bash} (for bash and,
 * through its bash emulation, zsh) and the manual page {@code man/man1/apilock.1}. Run by the
 * build: {@code java -cp apilock-<version>-cli.jar dev.apilock.cli.Distribution LAUNCHER_TEMPLATE DIRECTORY}.
 */
final class Distribution {

    private Distribution() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: Distribution LAUNCHER_TEMPLATE DIRECTORY");
        }
        Path template = Path.of(args[0]);
        Path directory = Path.of(args[1]);
        String version = new Version().getVersion()[0];
        String number = version.substring(version.lastIndexOf(' ') + 1);

        Path launcher = directory.resolve("apilock");
        write(launcher, Files.readString(template, StandardCharsets.UTF_8).replace("@project.version@", number));
        try {
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: run it with sh
        }

        CommandLine commandLine = ApiLockCli.commandLine(new ApiLockCli());
        write(directory.resolve("completion/apilock.bash"), AutoComplete.bash("apilock", commandLine));
        write(directory.resolve("man/man1/apilock.1"), ManPage.render(commandLine, version));
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}

package dev.apilock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What mvn package puts beside the cli jar for a shell: the launcher, its class-data-sharing
 * archive, bash and zsh completion and the manual page, each used the way a shell user would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShellToolIT {

    private static final Path TARGET = Cli.LAUNCHER.toAbsolutePath().getParent();
    private static final String VERSION_LINE = "apilock " + System.getProperty("apilock.version", "0.1.0-SNAPSHOT") + "\n";

    private Path directory;

    @BeforeAll
    void createDirectory() throws IOException {
        directory = Files.createTempDirectory("apilock-shell");
    }

    @AfterAll
    void deleteDirectory() throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void theLauncherFindsJavaThroughJavaHome() {
        Shell.Result result = Shell.run(directory, Map.of("JAVA_HOME", Cli.JAVA_HOME.toString()),
                Cli.LAUNCHER.toString(), "--version");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(VERSION_LINE);
        assertThat(result.err()).isEmpty();
    }

    @Test
    void theLauncherFindsJavaOnThePathWithoutJavaHome() {
        String path = Cli.JAVA_HOME.resolve("bin") + ":/usr/bin:/bin";
        Shell.Result result = Shell.run(directory, Map.of("PATH", path), Cli.LAUNCHER.toString(), "--version");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(VERSION_LINE);
    }

    @Test
    void withoutJavaTheLauncherSaysSoAndExits69() throws IOException {
        Path bin = Files.createDirectories(directory.resolve("no-java-bin"));
        for (String tool : List.of("dirname", "ls", "sed")) { // what the launcher itself needs
            Files.createSymbolicLink(bin.resolve(tool), Path.of(Shell.which(tool)));
        }
        Shell.Result result = Shell.run(directory, Map.of("PATH", bin.toString()), Cli.LAUNCHER.toString(), "--version");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(69);
        assertThat(result.err()).isEqualTo("apilock: no Java found: set JAVA_HOME or put java (17 or later) on the PATH\n");
    }

    @Test
    void theLauncherWorksThroughASymlinkAndPassesArgumentsVerbatim() throws IOException {
        Path bin = Files.createDirectories(directory.resolve("bin"));
        Path link = bin.resolve("apilock");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Cli.LAUNCHER.toAbsolutePath());
        Path work = Files.createDirectories(directory.resolve("work with space"));

        Shell.Result result = Shell.run(work, Map.of("JAVA_HOME", Cli.JAVA_HOME.toString()), link.toString(),
                "run", "--type", "shell-args", "--reference", "it's \"quoted\" * $HOME", "--", "sh", "-c",
                "echo \"$0|$1\"", "a b", "*");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("a b|*\n");
        assertThat(work.resolve(".apilock/apilock.mv.db")).as("the working directory's embedded database").exists();
    }

    /** The archive is used by the Java that built it, and ignored without a word by any other. */
    @Test
    void theArchiveIsUsedWhenItFitsAndIgnoredSilentlyWhenItDoesNot() throws IOException {
        assertThat(TARGET.resolve("apilock.jsa")).as("built by mvn package").exists();
        Path log = directory.resolve("class-load.log");
        Shell.Result fits = Shell.run(directory, Map.of("JAVA_HOME", Cli.JAVA_HOME.toString(),
                "APILOCK_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), Cli.LAUNCHER.toString(), "--version");
        assertThat(fits.out()).isEqualTo(VERSION_LINE);
        assertThat(Files.readString(log)).as("classes of the cli jar come from the archive")
                .contains("dev.apilock.cli.ApiLockCli source: shared objects file (top)");

        // Copied elsewhere, the jar no longer is the one the archive was made with.
        Path copy = Files.createDirectories(directory.resolve("copy"));
        for (Path file : List.of(Cli.LAUNCHER, Cli.JAR, TARGET.resolve("apilock.jsa"))) {
            Files.copy(file, copy.resolve(file.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.setLastModifiedTime(copy.resolve(Cli.JAR.getFileName().toString()),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        Shell.Result elsewhere = Shell.run(directory, Map.of("JAVA_HOME", Cli.JAVA_HOME.toString()),
                copy.resolve("apilock").toString(), "status", "--json");
        assertThat(elsewhere.exitCode()).as(elsewhere.toString()).isZero();
        assertThat(elsewhere.out()).as("nothing but the JSON").startsWith("{\"databaseTime\":\"").endsWith("]}\n");
        assertThat(elsewhere.err()).isEmpty();

        for (Path otherJava : otherJavas()) {
            Shell.Result other = Shell.run(directory, Map.of("JAVA_HOME", otherJava.toString()),
                    Cli.LAUNCHER.toString(), "--version");
            assertThat(other.exitCode()).as(other.toString()).isZero();
            assertThat(other.out()).as(otherJava.toString()).isEqualTo(VERSION_LINE);
            assertThat(other.err()).as(otherJava.toString()).isEmpty();
        }
    }

    /** Other Java installations beside this one (e.g. /usr/lib/jvm/*), of another version. */
    private static List<Path> otherJavas() throws IOException {
        Path ours = Cli.JAVA_HOME.toRealPath();
        String ourRelease = release(ours).orElse("");
        List<Path> others = new ArrayList<>();
        try (Stream<Path> siblings = Files.list(ours.getParent())) {
            for (Path sibling : siblings.toList()) {
                Path real = sibling.toRealPath();
                Optional<String> release = release(real);
                if (!real.equals(ours) && Files.isExecutable(real.resolve("bin/java")) && release.isPresent()
                        && !release.get().equals(ourRelease) && others.stream().noneMatch(real::equals)) {
                    others.add(real);
                }
            }
        }
        return others;
    }

    private static Optional<String> release(Path javaHome) {
        try {
            return Files.readAllLines(javaHome.resolve("release")).stream()
                    .filter(line -> line.startsWith("JAVA_VERSION=")).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Test
    void bashCompletesCommandsAndTheirOptions() throws IOException {
        Path script = TARGET.resolve("completion/apilock.bash");
        assertThat(script).exists();

        assertThat(complete("bash", script, "")).contains("run", "status", "history", "release", "purge", "migrate");
        assertThat(complete("bash", script, "run", "--")).contains("--type", "--wait", "--expires", "--keep-alive",
                "--url", "--db-user");
        assertThat(complete("bash", script, "history", "--l")).containsExactly("--limit");
    }

    @Test
    void zshCompletesThroughTheSameScript() throws IOException {
        assumeTrue(Shell.which("zsh") != null, "zsh is not installed: its completion is not checked");
        Path script = TARGET.resolve("completion/apilock.bash");

        assertThat(complete("zsh", script, "")).contains("run", "status", "history", "release", "purge", "migrate");
        assertThat(complete("zsh", script, "run", "--")).contains("--type", "--wait");
    }

    /** What the completion function offers for {@code apilock WORDS...}, the last word being typed. */
    private List<String> complete(String shell, Path script, String... words) {
        StringBuilder program = new StringBuilder();
        if (shell.equals("zsh")) {
            program.append("autoload -U +X compinit && compinit -u; ");
        }
        program.append("source '").append(script).append("'; ");
        if (shell.equals("zsh")) {
            program.append("setopt ksharrays; "); // as zsh's bash emulation calls the function
        }
        program.append("COMP_WORDS=(apilock");
        for (String word : words) {
            program.append(" '").append(word).append('\'');
        }
        program.append("); COMP_CWORD=").append(words.length).append("; COMP_LINE=\"${COMP_WORDS[*]}\";"
                + " COMP_POINT=${#COMP_LINE}; _complete_apilock apilock \"${COMP_WORDS[COMP_CWORD]}\" 2>/dev/null;"
                + " printf '%s\\n' \"${COMPREPLY[@]}\"");
        List<String> command = shell.equals("zsh") ? List.of("zsh", "-f", "-c", program.toString())
                : List.of("bash", "--norc", "-c", program.toString());
        Shell.Result result = Shell.run(directory, Map.of(), command.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.out().lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    @Test
    void theCompletionScriptComesFromTheCommandLineToo() throws IOException {
        Shell.Result printed = Shell.run(directory, Map.of("JAVA_HOME", Cli.JAVA_HOME.toString()),
                Cli.LAUNCHER.toString(), "generate-completion");

        assertThat(printed.exitCode()).as(printed.toString()).isZero();
        assertThat(printed.out().strip()).isEqualTo(Files.readString(TARGET.resolve("completion/apilock.bash")).strip());
    }

    @Test
    void theManualPageRendersCleanlyAndDescribesEveryCommandAndOption() throws IOException {
        Path page = TARGET.resolve("man/man1/apilock.1");
        assertThat(page).exists();
        Shell.Result groff = Shell.run(directory, Map.of(), "groff", "-man", "-Tutf8", "-ww", "-z", page.toString());
        assertThat(groff.exitCode()).as(groff.toString()).isZero();
        assertThat(groff.err()).as("roff warnings").isEmpty();

        Shell.Result man = Shell.run(directory, Map.of("MANWIDTH", "100", "LC_ALL", "C.UTF-8"),
                "man", "-l", page.toString());
        assertThat(man.exitCode()).as(man.toString()).isZero();
        String text = man.out().replaceAll(".\b", "").replace('\u2010', '-').replace('\u2212', '-');
        assertThat(text).contains("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "ENVIRONMENT", "EXIT STATUS",
                "APILOCK_URL", "APILOCK_JAVA_OPTS", VERSION_LINE.strip());
        CommandLine model = ApiLockCli.commandLine(new ApiLockCli());
        for (CommandLine command : model.getSubcommands().values()) {
            assertThat(text).contains("apilock " + command.getCommandName());
            for (OptionSpec option : command.getCommandSpec().options()) {
                for (String name : option.names()) {
                    assertThat(text).as("option %s of %s", name, command.getCommandName()).contains(name);
                }
            }
        }
        for (String code : model.getCommandSpec().usageMessage().exitCodeList().keySet()) {
            assertThat(text).contains(code.strip());
        }
    }

    /** A process run to its end, with its output. */
    static final class Shell {

        private Shell() {
        }

        record Result(List<String> command, int exitCode, String out, String err) {

            @Override
            public String toString() {
                return command + " exited " + exitCode + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
            }
        }

        /** Runs in {@code directory} with {@code environment} replacing the variables it names ({@code JAVA_HOME} removed unless given). */
        static Result run(Path directory, Map<String, String> environment, String... command) {
            try {
                Path out = Files.createTempFile(directory, "out", ".txt");
                Path err = Files.createTempFile(directory, "err", ".txt");
                ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
                builder.environment().keySet().removeIf(name -> name.startsWith("APILOCK_") || name.startsWith("JAVA_"));
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(List.of(command) + " did not end within 120 s");
                }
                return new Result(List.of(command), process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** The program's path on this machine's PATH, or null. */
        static String which(String program) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                Path candidate = Path.of(dir, program);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
            return null;
        }
    }
}

package dev.apilock.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code apilock(1)}: the manual page, in roff, written from the same model as {@code --help}
 * so that the two never disagree. The pieces {@code --help} has no place for (environment,
 * files, examples) are here.
 */
final class ManPage {

    /** How an option's description names the variable that gives its default: {@code (env APILOCK_URL)}. */
    private static final Pattern ENVIRONMENT = Pattern.compile("\\(env ([A-Z_]+)");

    private ManPage() {
    }

    /** The page of {@code top}, the {@code apilock} command, for {@code version} (e.g. {@code apilock 1.0.0}). */
    static String render(CommandLine top, String version) {
        CommandSpec spec = top.getCommandSpec();
        StringBuilder page = new StringBuilder();
        page.append(".TH APILOCK 1 \"\" ").append(quoted(version)).append(" \"User Commands\"\n");
        page.append(".nh\n.ad l\n"); // options and ids are not to be hyphenated
        page.append(".SH NAME\n").append("apilock \\- ").append(text(lowerFirst(spec.usageMessage().description()[0])))
                .append('\n');

        page.append(".SH SYNOPSIS\n");
        for (CommandLine command : visible(top)) {
            page.append(".B apilock ").append(escape(command.getCommandName())).append('\n')
                    .append(text(synopsisArguments(command))).append("\n.br\n");
        }

        page.append(".SH DESCRIPTION\n");
        paragraphs(page, spec.usageMessage().description());
        page.append(".PP\nEach command starts a Java virtual machine: the launcher gives it options for a quick start"
                + " and adds \\fBAPILOCK_JAVA_OPTS\\fR.\n");

        page.append(".SH OPTIONS\nThese are accepted by every command, before or after its name.\n");
        options(page, spec);

        page.append(".SH COMMANDS\n");
        for (CommandLine command : visible(top)) {
            CommandSpec sub = command.getCommandSpec();
            page.append(".SS \"apilock ").append(escape(command.getCommandName())).append("\"\n");
            paragraphs(page, sub.usageMessage().description());
            for (PositionalParamSpec parameter : sub.positionalParameters()) {
                if (!parameter.hidden()) {
                    page.append(".TP\n\\fI").append(escape(parameter.paramLabel())).append("\\fR\n")
                            .append(text(String.join(" ", parameter.renderedDescription()))).append('\n');
                }
            }
            options(page, sub, spec.options());
        }

        page.append(".SH ENVIRONMENT\n");
        for (OptionSpec option : spec.options()) {
            Matcher variable = ENVIRONMENT.matcher(String.join(" ", option.description()));
            if (variable.find()) {
                page.append(".TP\n.B ").append(variable.group(1)).append('\n')
                        .append("The default of \\fB").append(escape(option.longestName())).append("\\fR.\n");
            }
        }
        page.append(".TP\n.B APILOCK_JAVA_OPTS\nMore options for the Java virtual machine, after the launcher's own.\n")
                .append(".TP\n.B JAVA_HOME\nThe Java to run; without it, the first \\fBjava\\fR on the \\fBPATH\\fR.\n");

        page.append(".SH FILES\n.TP\n.I ./.apilock/\nThe embedded database of the working directory, used without"
                + " \\fB\\-\\-url\\fR; every process on the machine that runs in the same directory shares it.\n");

        page.append(".SH EXIT STATUS\n");
        for (Map.Entry<String, String> code : spec.usageMessage().exitCodeList().entrySet()) {
            page.append(".TP\n.B ").append(escape(code.getKey().strip())).append('\n')
                    .append(text(code.getValue())).append('\n');
        }

        page.append(".SH EXAMPLES\n");
        example(page, "Run a nightly job on one host of the fleet at a time; the others exit 75:",
                "apilock run \\-\\-type nightly\\-report \\-\\-url \"$DB_URL\" \\-\\- ./report.sh");
        example(page, "Wait up to a minute for the lock instead, extending it while the job runs:",
                "apilock run \\-t deploy \\-\\-wait 1m \\-\\-keep\\-alive \\-\\- ./deploy.sh");
        example(page, "See who holds what, and release a stuck holder's lock:",
                "apilock status\n.br\napilock release \\-\\-type deploy \\-\\-force");
        example(page, "Shell completion for bash and zsh:", "source <(apilock generate\\-completion)");
        page.append(".SH SEE ALSO\n.BR flock (1)\n");
        return page.toString();
    }

    /** The subcommands as {@code help} lists them: without hidden ones. */
    private static List<CommandLine> visible(CommandLine top) {
        List<CommandLine> commands = new ArrayList<>();
        for (CommandLine command : new LinkedHashSet<>(top.getSubcommands().values())) {
            if (!command.getCommandSpec().usageMessage().hidden()) {
                commands.add(command);
            }
        }
        return commands;
    }

    /** The synopsis {@code --help} shows, without the command's name. */
    private static String synopsisArguments(CommandLine command) {
        String synopsis = new Help(command.getCommandSpec(), Help.defaultColorScheme(Help.Ansi.OFF)).synopsis(0);
        String name = command.getCommandSpec().qualifiedName();
        String line = synopsis.strip().replaceAll("\\s+", " ");
        return line.startsWith(name) ? line.substring(name.length()).strip() : line;
    }

    /** The command's own options; {@code inherited} ones are described once, under OPTIONS. */
    private static void options(StringBuilder page, CommandSpec spec, List<OptionSpec> inherited) {
        Set<String> shared = new LinkedHashSet<>();
        inherited.forEach(option -> shared.add(option.longestName()));
        for (OptionSpec option : spec.options()) {
            if (!option.hidden() && !shared.contains(option.longestName())) {
                option(page, option);
            }
        }
    }

    private static void options(StringBuilder page, CommandSpec spec) {
        for (OptionSpec option : spec.options()) {
            if (!option.hidden()) {
                option(page, option);
            }
        }
    }

    private static void option(StringBuilder page, OptionSpec option) {
        page.append(".TP\n");
        List<String> names = new ArrayList<>();
        for (String name : option.names()) {
            names.add("\\fB" + escape(name) + "\\fR");
        }
        page.append(String.join(", ", names));
        if (option.typeInfo().isBoolean()) {
            page.append('\n');
        } else {
            page.append(" \\fI").append(escape(option.paramLabel())).append("\\fR\n");
        }
        page.append(text(String.join(" ", option.renderedDescription()))).append('\n');
    }

    private static void paragraphs(StringBuilder page, String[] paragraphs) {
        for (int i = 0; i < paragraphs.length; i++) {
            if (i > 0) {
                page.append(".PP\n");
            }
            page.append(text(paragraphs[i])).append('\n');
        }
    }

    private static void example(StringBuilder page, String what, String roffCommand) {
        page.append(".PP\n").append(text(what)).append("\n.PP\n.RS\n.nf\n").append(roffCommand).append("\n.fi\n.RE\n");
    }

    /** Running text: escaped, and never a line that roff would take for a request. */
    private static String text(String value) {
        String escaped = escape(value.replace("%n", " ").strip());
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }

    /** Backslashes and hyphens as roff wants them: {@code \-} is a hyphen-minus that stays one when copied. */
    private static String escape(String value) {
        return value.replace("\\", "\\e").replace("-", "\\-");
    }

    private static String quoted(String value) {
        return "\"" + escape(value).replace("\"", "\\(dq") + "\"";
    }

    private static String lowerFirst(String sentence) {
        String first = sentence.endsWith(".") ? sentence.substring(0, sentence.length() - 1) : sentence;
        return first.isEmpty() ? first : Character.toLowerCase(first.charAt(0)) + first.substring(1);
    }
}

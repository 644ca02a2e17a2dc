package io.vaultcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.app.ApplyRequest;
import io.vaultcfg.ssh.SshConnector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The options apply, audit and rotate-access-key share ({@link SharedRunOptions}) are parsed, checked and turned into
 * the {@link ApplyRequest} alike by all three; only their help may word them otherwise.
 */
class SharedRunOptionsTest {
    static Stream<String> commands() {
        return Stream.of("apply", "audit", "rotate-access-key");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void eachCommandTurnsTheSharedOptionsIntoTheSameRequest(String command) {
        Parsed parsed = parse(true, command, "-i", "hosts.yml", "-l", "web*", "-f", "3", "-e", "a=b", "--extra-vars", "c=d",
                "--report", "run.json", "--junit", "run.xml", "--timeout", "7", "--ssh-accept-new");

        assertThat(parsed.err).isEmpty();
        ApplyRequest request = parsed.request;
        assertThat(request.inventory()).isEqualTo(Path.of("hosts.yml"));
        assertThat(request.limit()).contains("web*");
        assertThat(request.forks()).isEqualTo(3);
        assertThat(request.extraVars()).containsExactly("a=b", "c=d");
        assertThat(request.report()).contains(Path.of("run.json"));
        assertThat(request.junit()).contains(Path.of("run.xml"));
        assertThat(request.connectTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(request.acceptNewHostKeys()).isTrue();
        assertThat(request.progress()).as("a terminal shows a progress line").isTrue();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void eachCommandHasTheSameDefaultsForTheSharedOptions(String command) {
        ApplyRequest request = parse(false, command, "hosts.yml").request;

        assertThat(request.inventory()).isEqualTo(Path.of("hosts.yml"));
        assertThat(request.limit()).isEmpty();
        assertThat(request.forks()).isEqualTo(ApplyRequest.DEFAULT_FORKS);
        assertThat(request.extraVars()).isEmpty();
        assertThat(request.report()).isEmpty();
        assertThat(request.junit()).isEmpty();
        assertThat(request.connectTimeout()).isEqualTo(Duration.ofSeconds(ApplyRequest.DEFAULT_TIMEOUT_SECONDS));
        assertThat(request.acceptNewHostKeys()).isFalse();
        assertThat(request.progress()).as("no terminal, no progress line").isFalse();
        assertThat(parse(true, command, "hosts.yml", "--no-progress").request.progress()).as("--no-progress on a terminal")
                .isFalse();
    }

    static Stream<List<String>> badSharedOptions() {
        return Stream.of(
                List.of("'--forks': must be 1 or more, was 0", "hosts.yml", "-f", "0"),
                List.of("'--forks'", "hosts.yml", "--forks", "many"),
                List.of("'--timeout': must be 1 or more, was -1", "hosts.yml", "--timeout=-1"),
                List.of("'--limit'", "hosts.yml", "-l"),
                List.of("'--extra-vars'", "hosts.yml", "-e"),
                List.of("'--report'", "hosts.yml", "--report"),
                List.of("'--junit'", "hosts.yml", "--junit"),
                List.of("the inventory is given twice (INVENTORY and -i); give it once", "hosts.yml", "-i", "other.yml"),
                List.of("missing the inventory: give INVENTORY or -i INVENTORY", "--timeout", "5"));
    }

    @ParameterizedTest
    @MethodSource("badSharedOptions")
    void eachCommandRefusesABadSharedOptionWithTheSameUsageError(List<String> expectedAndArgs) {
        String expected = expectedAndArgs.get(0);
        List<String> args = expectedAndArgs.subList(1, expectedAndArgs.size());
        List<String> errors = new ArrayList<>();
        for (String command : commands().toList()) {
            List<String> full = new ArrayList<>(List.of(command));
            full.addAll(args);
            Parsed parsed = parse(false, full.toArray(String[]::new));

            assertThat(parsed.exitCode).as(command + " " + args).isEqualTo(1);
            assertThat(parsed.request).as(command + " " + args).isNull();
            assertThat(parsed.err.lines().toList()).as(command + " " + args).singleElement().satisfies(line -> assertThat(line)
                    .startsWith("error: ").contains(expected).endsWith("; see 'vaultcfg " + command + " --help'"));
            errors.add(parsed.err.replace(command, "COMMAND"));
        }
        assertThat(Set.copyOf(errors)).as("the same error from each command").hasSize(1);
    }

    @Test
    void auditAndRotateAccessKeyWordSomeSharedOptionsTheirOwnWayAndOnlyOptionsTheyHave() {
        CommandSpec apply = spec("apply");
        assertThat(apply.resourceBundle()).as("apply's help is the options' own").isNull();
        for (String command : List.of("audit", "rotate-access-key")) {
            CommandSpec spec = spec(command);
            ResourceBundle help = spec.resourceBundle();
            assertThat(help).as(command).isNotNull();
            assertThat(help.keySet()).isNotEmpty().allSatisfy(key -> {
                OptionSpec option = spec.findOption(key);
                assertThat(option).as(command + " rewords --" + key + ", which it does not have").isNotNull();
                assertThat(option.description()).as(command + " --" + key).isNotEqualTo(apply.findOption(key).description());
            });
        }
    }

    static CommandSpec spec(String command) {
        return Main.commandLine(CommandLine.defaultFactory(), command).getSubcommands().get(command).getCommandSpec();
    }

    record Parsed(int exitCode, ApplyRequest request, String err) {
    }

    /** Parsed by Main's own command line and usage-error handler; the request is built, nothing is run or contacted. */
    static Parsed parse(boolean terminal, String... args) {
        StringWriter err = new StringWriter();
        List<ApplyRequest> requests = new ArrayList<>();
        CommandLine commandLine = Main.commandLine(factory(terminal), args);
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setExecutionStrategy(parsed -> {
            Object command = parsed.subcommand().commandSpec().userObject();
            requests.add(requestOf(command));
            return 0;
        });
        int code = commandLine.execute(args);
        return new Parsed(code, requests.isEmpty() ? null : requests.get(0), err.toString());
    }

    static ApplyRequest requestOf(Object command) {
        if (command instanceof ApplyCommand apply) {
            return apply.request();
        }
        if (command instanceof AuditCommand audit) {
            return audit.request();
        }
        if (command instanceof RotateAccessKeyCommand rotate) {
            return rotate.request();
        }
        throw new AssertionError("not a command that runs a playbook: " + command);
    }

    static CommandLine.IFactory factory(boolean terminal) {
        SshConnector never = target -> {
            throw new AssertionError("contacted " + target.name());
        };
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Map<String, String> environment = Map.of();
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                ByteArrayInputStream stdin = new ByteArrayInputStream(new byte[0]);
                if (type == ApplyCommand.class) {
                    return type.cast(new ApplyCommand(never, environment, stdin, sink, sink, terminal));
                }
                if (type == AuditCommand.class) {
                    return type.cast(new AuditCommand(never, environment, stdin, sink, sink, terminal));
                }
                if (type == RotateAccessKeyCommand.class) {
                    return type.cast(new RotateAccessKeyCommand(never, environment, stdin, sink, sink, terminal));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
    }
}

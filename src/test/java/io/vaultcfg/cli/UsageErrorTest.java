package io.vaultcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.ssh.HostUnreachableException;
import io.vaultcfg.ssh.RemoteSession;
import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.ssh.SshTarget;
import io.vaultcfg.testing.CliRun;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A usage error exits 1 (never 2, which {@code apply --check} reserves for "changes pending") with
 * one line naming the option and the command's --help, and runs nothing: every kind, every command.
 */
class UsageErrorTest {
    static Arguments usage(String command, String kind, String expected, String... args) {
        return Arguments.of(command, kind, expected, args);
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                usage("vaultcfg", "unknown option", "unknown option '--bogus'", "--bogus"),
                usage("vaultcfg", "unknown command", "unknown command 'aply' (did you mean 'apply'?)", "aply"),

                usage("vaultcfg apply", "unknown option", "unknown option '--some-typo'", "apply", "inv.yml", "--check", "--some-typo"),
                usage("vaultcfg apply", "unknown option with a value", "unknown option '--chek'", "apply", "inv.yml", "--chek=yes"),
                // a missing inventory (neither INVENTORY nor -i) is checked as the command starts: InventoryCommandTest
                usage("vaultcfg apply", "missing option value", "'--playbook'", "apply", "inv.yml", "-p"),
                usage("vaultcfg apply", "missing option value", "'--extra-vars'", "apply", "inv.yml", "-e"),
                usage("vaultcfg apply", "malformed value", "'--forks'", "apply", "inv.yml", "-f", "many"),
                usage("vaultcfg apply", "malformed value", "'--timeout'", "apply", "inv.yml", "--timeout", "1.5"),
                usage("vaultcfg apply", "bad value", "'--forks': must be 1 or more, was 0", "apply", "inv.yml", "-f", "0"),
                usage("vaultcfg apply", "negative value", "'--forks': must be 1 or more, was -4", "apply", "inv.yml", "-f", "-4"),
                usage("vaultcfg apply", "bad value", "'--timeout': must be 1 or more, was 0", "apply", "inv.yml", "--timeout", "0"),
                usage("vaultcfg apply", "negative value", "'--timeout': must be 1 or more, was -1", "apply", "inv.yml", "--timeout=-1"),
                usage("vaultcfg apply", "extra argument", "unexpected argument 3", "apply", "inv.yml", "other.yml"),

                usage("vaultcfg inventory", "unknown option", "unknown option '--lst'", "inventory", "inv.yml", "--lst"),
                usage("vaultcfg inventory", "missing option value", "'--host'", "inventory", "inv.yml", "--host"),
                usage("vaultcfg inventory", "missing option value", "'--limit'", "inventory", "inv.yml", "--list", "--limit"),
                usage("vaultcfg inventory", "extra argument", "unexpected argument 3", "inventory", "inv.yml", "other.yml", "--list"),

                usage("vaultcfg aws-emulator", "unknown option", "unknown option '--prot'", "aws-emulator", "--prot", "1"),
                usage("vaultcfg aws-emulator", "missing option value", "'--port'", "aws-emulator", "--port"),
                usage("vaultcfg aws-emulator", "malformed value", "'--port'", "aws-emulator", "--port", "http"),
                usage("vaultcfg aws-emulator", "negative value", "'--port': must be a port 0..65535, was -1", "aws-emulator", "--port", "-1"),
                usage("vaultcfg aws-emulator", "bad value", "'--port': must be a port 0..65535, was 65536", "aws-emulator", "--port", "65536"),
                usage("vaultcfg aws-emulator", "bad value", "'--throttle-rate': must be between 0 and 1", "aws-emulator", "--throttle-rate", "1.5"),
                usage("vaultcfg aws-emulator", "bad value", "'--throttle-rate': must be between 0 and 1", "aws-emulator", "--throttle-rate", "NaN"),
                usage("vaultcfg aws-emulator", "negative value", "'--access-key-delay': must be 0 or more", "aws-emulator", "--access-key-delay", "-2"),
                usage("vaultcfg aws-emulator", "negative value", "'--iam-propagation-delay': must be 0 or more", "aws-emulator", "--iam-propagation-delay", "-1"),
                usage("vaultcfg aws-emulator", "bad value", "'--account-id': must be 12 digits", "aws-emulator", "--account-id", "1234"),
                usage("vaultcfg aws-emulator", "bad value", "'--admin-access-key-id': must not be empty", "aws-emulator", "--admin-access-key-id", ""),
                usage("vaultcfg aws-emulator", "extra argument", "unexpected argument 2", "aws-emulator", "4566"),

                usage("vaultcfg lab", "unknown option", "unknown option '--host'", "lab", "--host", "3"),
                usage("vaultcfg lab", "unknown command", "unknown command 'stauts' (did you mean 'status'?)", "lab", "stauts"),
                usage("vaultcfg lab", "missing option value", "'--hosts'", "lab", "--hosts"),
                usage("vaultcfg lab", "malformed value", "'--hosts'", "lab", "--hosts", "three"),
                usage("vaultcfg lab", "bad value", "'--hosts': must be 1 or more, was 0", "lab", "--hosts", "0"),
                usage("vaultcfg lab", "negative value", "'--hosts': must be 1 or more, was -3", "lab", "--hosts", "-3"),

                usage("vaultcfg lab up", "unknown option", "unknown option '--bogus'", "lab", "up", "--bogus"),
                usage("vaultcfg lab up", "missing option value", "'--dir'", "lab", "up", "--dir"),
                usage("vaultcfg lab up", "malformed value", "'--hosts'", "lab", "up", "--hosts", "x"),
                usage("vaultcfg lab up", "bad value", "'--hosts': must be 1 or more, was 0", "lab", "up", "--hosts", "0"),
                usage("vaultcfg lab up", "extra argument", "unexpected argument 3", "lab", "up", "now"),

                usage("vaultcfg lab status", "unknown option", "unknown option '--verbose'", "lab", "status", "--verbose"),
                usage("vaultcfg lab status", "missing option value", "'--dir'", "lab", "status", "--dir"),
                usage("vaultcfg lab status", "extra argument", "unexpected argument 3", "lab", "status", "all"),

                usage("vaultcfg lab down", "unknown option", "unknown option '--force'", "lab", "down", "--force"),
                usage("vaultcfg lab down", "missing option value", "'--dir'", "lab", "down", "--dir"),
                usage("vaultcfg lab down", "extra argument", "unexpected argument 3", "lab", "down", "all"),

                usage("vaultcfg lab train", "unknown option", "unknown option '--hosts'", "lab", "train", "--hosts", "2"),
                usage("vaultcfg lab serve", "missing option", "'--dir=", "lab", "serve"),
                usage("vaultcfg lab serve", "bad value", "'--aws-port': must be a port 0..65535", "lab", "serve", "--dir", "x", "--aws-port", "99999"),
                usage("vaultcfg lab serve", "bad value", "'--hosts': must be 1 or more", "lab", "serve", "--dir", "x", "--hosts", "0"));
    }

    @ParameterizedTest(name = "{0}: {1} {3}")
    @MethodSource("usageErrors")
    void exitsOneWithOneLineNamingTheOptionAndHelp(String command, String kind, String expected, String[] args) {
        Outcome outcome = parseOnly(args);

        assertThat(outcome.exitCode).as(outcome.err).isEqualTo(1);
        assertThat(outcome.ran).as("the command ran").isFalse();
        assertThat(outcome.err.lines().toList()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("error: ").contains(expected).endsWith("; see '" + command + " --help'"));
        assertThat(outcome.out).isEmpty();
    }

    record Outcome(int exitCode, boolean ran, String out, String err) {
    }

    /** Main's own command line, with its usage-error handling, but nothing is executed even if parsing succeeded. */
    static Outcome parseOnly(String... args) {
        AtomicBoolean ran = new AtomicBoolean();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(new NoSshFactory(), args);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setExecutionStrategy(parsed -> {
            ran.set(true);
            return 0;
        });
        int code = commandLine.execute(args);
        return new Outcome(code, ran.get(), out.toString(), err.toString());
    }

    /** apply without sshj: a connector that fails the test if it is ever used. */
    static final class NoSshFactory implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == ApplyCommand.class) {
                PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
                SshConnector never = target -> {
                    throw new AssertionError("contacted " + target.name());
                };
                return type.cast(new ApplyCommand(never, Map.of(), new ByteArrayInputStream(new byte[0]), sink, sink));
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    @Test
    void aTypoInACheckRunExitsOneNotTwoAndContactsNoHost() {
        AtomicInteger connections = new AtomicInteger();
        SshConnector counting = new SshConnector() {
            @Override
            public RemoteSession connect(SshTarget target) throws HostUnreachableException {
                connections.incrementAndGet();
                throw new HostUnreachableException("test connector");
            }
        };

        CliRun run = CliRun.run(counting, "apply", "inventory.yml", "--check", "--some-typo");

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stderr()).isEqualTo("error: unknown option '--some-typo'; see 'vaultcfg apply --help'"
                + System.lineSeparator());
        assertThat(run.stdout()).isEmpty();
        assertThat(connections).hasValue(0);
    }

    @Test
    void aStrayWordIsNotEchoedSinceItMayBeASecretThatLostItsOption() {
        Outcome outcome = parseOnly("apply", "inv.yml", "-e", "token=", "s3cr3t-t0ken");

        assertThat(outcome.exitCode).isEqualTo(1);
        assertThat(outcome.err).contains("unexpected argument 5").doesNotContain("s3cr3t");
    }

    @Test
    void helpOfAnUnknownCommandIsAUsageError() {
        CliRun run = CliRun.run(target -> {
            throw new AssertionError("contacted " + target.name());
        }, "help", "nosuch");

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stderr().lines().toList()).containsExactly("error: Unknown subcommand 'nosuch'; see 'vaultcfg --help'");
    }

    @Test
    void helpAndVersionStillExitZero() {
        for (List<String> args : List.of(List.of("--help"), List.of("--version"), List.of("apply", "--help"),
                List.of("lab", "--help"), List.of("lab", "up", "--help"),
                List.of("lab", "status", "--help"), List.of("lab", "down", "--help"), List.of("aws-emulator", "--help"), List.of("help", "lab"))) {
            CliRun run = CliRun.run(target -> {
                throw new AssertionError("contacted " + target.name());
            }, args.toArray(String[]::new));
            assertThat(run.exitCode()).as(args + ": " + run.all()).isZero();
            assertThat(run.stdout()).as(String.valueOf(args)).isNotEmpty();
        }
    }

    @Test
    void theDefaultsOfTheCheckedOptionsAreValid() {
        Outcome apply = parseOnly("apply", "inv.yml");
        Outcome emulator = parseOnly("aws-emulator");
        Outcome lab = parseOnly("lab");

        assertThat(List.of(apply, emulator, lab)).allSatisfy(outcome -> {
            assertThat(outcome.err).isEmpty();
            assertThat(outcome.ran).isTrue();
        });
    }
}

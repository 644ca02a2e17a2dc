package io.vaultcfg.cli;

import io.vaultcfg.app.Apply;
import io.vaultcfg.app.ApplyRequest;
import io.vaultcfg.ssh.SshConnector;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ListResourceBundle;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rotate-access-key", mixinStandardHelpOptions = true, resourceBundle = "io.vaultcfg.cli.RotateAccessKeyCommand$Help",
        description = {"Replaces the seal user's IAM access key across the fleet: deletes a key no host holds, creates and "
                + "proves a new one, rolls it out node by node (rolling restart, each node unsealed), then deactivates the old "
                + "key; a later run deletes it once its grace period has passed. Run again after an interruption: it finishes.",
                "Exit codes: with --check 0 = nothing to do, 2 = a rotation (or the end of one) pending, 1 = error; without "
                        + "--check 0 = done or not due, 1 = any failure or unreachable host. A usage error exits 1."})
public final class RotateAccessKeyCommand implements Callable<Integer> {
    @Mixin
    SharedRunOptions shared;

    @Mixin
    PlaybookOptions playbook;

    @Option(names = "--older-than", paramLabel = "DAYS", converter = CheckedValues.AtLeastOne.class,
            description = "Rotate only when the key in use is at least DAYS old; otherwise change nothing and exit 0")
    Integer olderThanDays;

    @Option(names = "--grace-days", paramLabel = "DAYS", converter = CheckedValues.NonNegativeDays.class,
            description = "Days a deactivated key is kept before a run deletes it (default: vaultcfg_access_key_grace_days, 7)")
    Integer graceDays;

    private final RunWiring wiring;

    public RotateAccessKeyCommand() {
        this(RunWiring.ofThisProcess());
    }

    /** @param terminal {@code out} is a terminal: a progress line is shown unless {@code --no-progress} */
    public RotateAccessKeyCommand(SshConnector connector, Map<String, String> environment, InputStream stdin, PrintStream out,
                                  PrintStream err, boolean terminal) {
        this(new RunWiring(connector, environment, stdin, out, err, terminal));
    }

    private RotateAccessKeyCommand(RunWiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public Integer call() {
        return wiring.apply().rotate(request(),
                olderThanDays == null ? OptionalInt.empty() : OptionalInt.of(olderThanDays),
                graceDays == null ? OptionalInt.empty() : OptionalInt.of(graceDays));
    }

    /** Before {@link Apply#rotate} adds the rotation's variables. */
    ApplyRequest request() {
        return shared.request(playbook, new TaskOptions(), wiring.terminal());
    }

    /** rotate-access-key's wording of the shared options' help, by long option name. */
    public static final class Help extends ListResourceBundle {
        @Override
        protected Object[][] getContents() {
            return new Object[][] {
                    {"playbook", "Playbook to run (default: the built-in playbooks/auto-unseal.yml); its aws_auto_unseal task must "
                            + "pass rotate_access_key on"},
                    {"check", "Read only: show the rotation plan; exit 2 when something is pending"},
                    {"limit", "Only roll the new key out to hosts matching this pattern; the old key stays active while a host "
                            + "outside it holds it"},
                    {"forks", "Hosts handled in parallel, 1 or more (default: ${DEFAULT-VALUE}); a cluster's nodes go one at a time"},
                    {"extra-vars", "Set a variable (highest precedence). Secrets belong in VAULTCFG_VAR_<name> or --vars-stdin"},
                    {"junit", "Write the results as JUnit XML"},
                    {"no-progress", "No progress line, even on a terminal"},
                    {"verbose", "Show every task of every host"}};
        }
    }
}

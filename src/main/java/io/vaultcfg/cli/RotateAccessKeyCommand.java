package io.vaultcfg.cli;

import io.vaultcfg.app.Apply;
import io.vaultcfg.app.ApplyRequest;
import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.ssh.SshjConnector;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rotate-access-key", mixinStandardHelpOptions = true,
        description = {"Replaces the seal user's IAM access key across the fleet: deletes a key no host holds, creates and "
                + "proves a new one, rolls it out node by node (rolling restart, each node unsealed), then deactivates the old "
                + "key; a later run deletes it once its grace period has passed. Run again after an interruption: it finishes.",
                "Exit codes: with --check 0 = nothing to do, 2 = a rotation (or the end of one) pending, 1 = error; without "
                        + "--check 0 = done or not due, 1 = any failure or unreachable host. A usage error exits 1."})
public final class RotateAccessKeyCommand implements Callable<Integer> {
    @Mixin
    InventoryArgument inventory;

    @Option(names = {"-p", "--playbook"}, paramLabel = "PLAYBOOK",
            description = "Playbook to run (default: the built-in playbooks/auto-unseal.yml); its aws_auto_unseal task must "
                    + "pass rotate_access_key on")
    Path playbook;

    @Option(names = "--older-than", paramLabel = "DAYS", converter = CheckedValues.AtLeastOne.class,
            description = "Rotate only when the key in use is at least DAYS old; otherwise change nothing and exit 0")
    Integer olderThanDays;

    @Option(names = "--grace-days", paramLabel = "DAYS", converter = CheckedValues.NonNegativeDays.class,
            description = "Days a deactivated key is kept before a run deletes it (default: vaultcfg_access_key_grace_days, 7)")
    Integer graceDays;

    @Option(names = {"-C", "--check"}, description = "Read only: show the rotation plan; exit 2 when something is pending")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "Show a unified diff of every file change (secrets redacted)")
    boolean diff;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN",
            description = "Only roll the new key out to hosts matching this pattern; the old key stays active while a host "
                    + "outside it holds it")
    String limit;

    @Option(names = {"-f", "--forks"}, defaultValue = "" + ApplyRequest.DEFAULT_FORKS, paramLabel = "FORKS", converter = CheckedValues.AtLeastOne.class,
            description = "Hosts handled in parallel, 1 or more (default: ${DEFAULT-VALUE}); a cluster's nodes go one at a time")
    int forks;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "KEY=VALUE",
            description = "Set a variable (highest precedence). Secrets belong in VAULTCFG_VAR_<name> or --vars-stdin")
    List<String> extraVars = new ArrayList<>();

    @Option(names = "--vars-stdin", description = "Read KEY=VALUE lines from standard input (for secrets)")
    boolean varsFromStdin;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write a machine-readable report")
    Path report;

    @Option(names = "--junit", paramLabel = "FILE.xml", description = "Write the results as JUnit XML")
    Path junit;

    @Option(names = "--no-progress", description = "No progress line, even on a terminal")
    boolean noProgress;

    @Option(names = "--ssh-accept-new",
            description = "Trust and record host keys seen for the first time (changed keys are still refused)")
    boolean acceptNewHostKeys;

    @Option(names = "--timeout", defaultValue = "" + ApplyRequest.DEFAULT_TIMEOUT_SECONDS, paramLabel = "SECONDS", converter = CheckedValues.AtLeastOne.class,
            description = "SSH connect timeout in seconds, 1 or more (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = {"-v", "--verbose"}, description = "Show every task of every host")
    boolean verbose;

    private final SshConnector connector;
    private final Map<String, String> environment;
    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;

    public RotateAccessKeyCommand() {
        this(new SshjConnector(), System.getenv(), System.in, System.out, System.err, System.console() != null);
    }

    /** @param terminal {@code out} is a terminal: a progress line is shown unless {@code --no-progress} */
    public RotateAccessKeyCommand(SshConnector connector, Map<String, String> environment, InputStream stdin, PrintStream out,
                                  PrintStream err, boolean terminal) {
        this.connector = connector;
        this.environment = environment;
        this.stdin = stdin;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        ApplyRequest request = new ApplyRequest(inventory.path(), Optional.ofNullable(playbook), check, diff,
                Optional.ofNullable(limit), forks, List.copyOf(extraVars), varsFromStdin, Optional.ofNullable(report),
                List.of(), List.of(), Optional.empty(), acceptNewHostKeys, Duration.ofSeconds(timeoutSeconds), verbose,
                Optional.ofNullable(junit), terminal && !noProgress);
        return new Apply(connector, environment, stdin, out, err).rotate(request,
                olderThanDays == null ? OptionalInt.empty() : OptionalInt.of(olderThanDays),
                graceDays == null ? OptionalInt.empty() : OptionalInt.of(graceDays));
    }
}

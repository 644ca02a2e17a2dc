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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Read-only: checks AWS (KMS key, IAM user, policy, access key age; with aws_region) and every host of the "
                + "inventory (vault.env mode 0600 and owner, no credentials in the configuration, the drop-in loaded by systemd, "
                + "node unsealed on the awskms seal) against the practices the built-in playbook sets up. Changes nothing.",
                "Exit codes: 0 = every check passed, 2 = findings, 1 = error (bad input, a host unreachable, a check that "
                        + "could not be read, or a KMS key disabled or pending deletion). A usage error exits 1."})
public final class AuditCommand implements Callable<Integer> {
    @Mixin
    InventoryArgument inventory;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Only audit hosts matching this pattern")
    String limit;

    @Option(names = {"-f", "--forks"}, defaultValue = "" + ApplyRequest.DEFAULT_FORKS, paramLabel = "FORKS", converter = CheckedValues.AtLeastOne.class,
            description = "Hosts audited in parallel, 1 or more (default: ${DEFAULT-VALUE})")
    int forks;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "KEY=VALUE", description = "Set a variable (highest precedence)")
    List<String> extraVars = new ArrayList<>();

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write the results as JSON (the schema of apply --report)")
    Path report;

    @Option(names = "--junit", paramLabel = "FILE.xml", description = "Write the results as JUnit XML: a finding is a failure")
    Path junit;

    @Option(names = "--ssh-accept-new",
            description = "Trust and record host keys seen for the first time (changed keys are still refused)")
    boolean acceptNewHostKeys;

    @Option(names = "--timeout", defaultValue = "" + ApplyRequest.DEFAULT_TIMEOUT_SECONDS, paramLabel = "SECONDS", converter = CheckedValues.AtLeastOne.class,
            description = "SSH connect timeout in seconds, 1 or more (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--no-progress", description = "No progress line, even on a terminal")
    boolean noProgress;

    private final SshConnector connector;
    private final Map<String, String> environment;
    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;

    public AuditCommand() {
        this(new SshjConnector(), System.getenv(), System.in, System.out, System.err, System.console() != null);
    }

    /** @param terminal {@code out} is a terminal: a progress line is shown unless {@code --no-progress} */
    public AuditCommand(SshConnector connector, Map<String, String> environment, InputStream stdin, PrintStream out,
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
        ApplyRequest request = new ApplyRequest(inventory.path(), Optional.empty(), true, false, Optional.ofNullable(limit), forks,
                List.copyOf(extraVars), false, Optional.ofNullable(report), List.of(), List.of(), Optional.empty(),
                acceptNewHostKeys, Duration.ofSeconds(timeoutSeconds), false, Optional.ofNullable(junit), terminal && !noProgress);
        return new Apply(connector, environment, stdin, out, err).audit(request);
    }
}

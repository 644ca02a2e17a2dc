package io.vaultcfg.cli;

import io.vaultcfg.app.Apply;
import io.vaultcfg.app.ApplyRequest;
import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.run.SealMigrationOption;
import io.vaultcfg.secret.UnsealKeys;
import java.io.Console;
import java.io.IOException;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Runs a playbook against an inventory: reads every host's state, plans, then applies "
                + "(or, with --check, only shows the plan).",
                "Exit codes: with --check 0 = in sync, 2 = changes pending, 1 = error or failed/unreachable host; "
                        + "without --check 0 = success, 1 = any failure or unreachable host. "
                        + "A usage error (unknown option, bad value) exits 1."})
public final class ApplyCommand implements Callable<Integer> {
    @Mixin
    InventoryArgument inventory;

    @Option(names = {"-p", "--playbook"}, paramLabel = "PLAYBOOK",
            description = "Playbook to run (default: the built-in playbooks/auto-unseal.yml)")
    Path playbook;

    @Option(names = {"-C", "--check"}, description = "Read only: show what would change; exit 2 when changes are pending")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "Show a unified diff of every file change (secrets redacted)")
    boolean diff;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Only touch hosts matching this pattern")
    String limit;

    @Option(names = {"-f", "--forks"}, defaultValue = "" + ApplyRequest.DEFAULT_FORKS, paramLabel = "FORKS", converter = CheckedValues.AtLeastOne.class,
            description = "Hosts handled in parallel, 1 or more (default: ${DEFAULT-VALUE})")
    int forks;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "KEY=VALUE",
            description = "Set a variable (highest precedence). Secrets belong in VAULTCFG_VAR_<name> or --vars-stdin: "
                    + "-e values show in process listings")
    List<String> extraVars = new ArrayList<>();

    @Option(names = "--vars-stdin", description = "Read KEY=VALUE lines from standard input (for secrets)")
    boolean varsFromStdin;

    @Option(names = "--migrate-seal",
            description = "Migrate Shamir-sealed nodes to the awskms seal, one at a time (standbys first): the unseal keys "
                    + "are read from standard input, one per line, or asked for without echo on a terminal. "
                    + "Not with --vars-stdin")
    boolean migrateSeal;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write a machine-readable report")
    Path report;

    @Option(names = "--junit", paramLabel = "FILE.xml",
            description = "Write the results as JUnit XML: a test case per host and task; with --check, a pending change is a failure")
    Path junit;

    @Option(names = "--no-progress", description = "No progress line, even on a terminal (there is none when the output is not a terminal)")
    boolean noProgress;

    @Option(names = "--tags", split = ",", description = "Only run tasks with these tags")
    List<String> tags = new ArrayList<>();

    @Option(names = "--skip-tags", split = ",", description = "Skip tasks with these tags")
    List<String> skipTags = new ArrayList<>();

    @Option(names = "--templates", paramLabel = "DIR", description = "Look for templates here first")
    Path templates;

    @Option(names = "--ssh-accept-new",
            description = "Trust and record host keys seen for the first time (changed keys are still refused)")
    boolean acceptNewHostKeys;

    @Option(names = "--timeout", defaultValue = "" + ApplyRequest.DEFAULT_TIMEOUT_SECONDS, paramLabel = "SECONDS", converter = CheckedValues.AtLeastOne.class,
            description = "SSH connect timeout in seconds, 1 or more (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = {"-v", "--verbose"},
            description = "Show every task of every host. Default: changed, failed, unreachable and skipped-for-a-reason "
                    + "lines; the hosts in sync as one count")
    boolean verbose;

    private final SshConnector connector;
    private final Map<String, String> environment;
    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private final Console console;
    private final boolean stdinIsTerminal;

    @Spec
    CommandSpec spec;

    public ApplyCommand() {
        this(new SshjConnector(), System.getenv(), System.in, System.out, System.err, System.console() != null,
                System.console(), UnsealKeyInput.stdinIsTerminal());
    }

    public ApplyCommand(SshConnector connector, Map<String, String> environment, InputStream stdin, PrintStream out,
                        PrintStream err) {
        this(connector, environment, stdin, out, err, false);
    }

    /** @param terminal {@code out} is a terminal: a progress line is shown unless {@code --no-progress} */
    public ApplyCommand(SshConnector connector, Map<String, String> environment, InputStream stdin, PrintStream out,
                        PrintStream err, boolean terminal) {
        this(connector, environment, stdin, out, err, terminal, null, false);
    }

    /**
     * @param console         where the unseal keys are asked for without echo; null: they are read from {@code stdin}
     * @param stdinIsTerminal {@code stdin} is a terminal: without a console, keys read from it would be echoed (refused)
     */
    ApplyCommand(SshConnector connector, Map<String, String> environment, InputStream stdin, PrintStream out,
                 PrintStream err, boolean terminal, Console console, boolean stdinIsTerminal) {
        this.console = console;
        this.stdinIsTerminal = stdinIsTerminal;
        this.terminal = terminal;
        this.connector = connector;
        this.environment = environment;
        this.stdin = stdin;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        if (migrateSeal && varsFromStdin) {
            throw new ParameterException(spec.commandLine(),
                    "--migrate-seal and --vars-stdin both read standard input; give secret variables as VAULTCFG_VAR_<name>");
        }
        SealMigrationOption migration = SealMigrationOption.OFF;
        if (migrateSeal) {
            try {
                // check mode sends nothing to a node: no key is asked for
                migration = SealMigrationOption.with(check ? Optional.empty() : Optional.of(UnsealKeyInput.read(stdin, console, stdinIsTerminal)));
            } catch (UnsealKeys.BadKey | IOException e) {
                err.println("error: --migrate-seal: " + (e instanceof IOException ? "cannot read the unseal keys: " : "")
                        + e.getMessage());
                err.println("Nothing was changed.");
                return 1;
            }
        }
        ApplyRequest request = new ApplyRequest(inventory.path(), Optional.ofNullable(playbook), check, diff,
                Optional.ofNullable(limit), forks, List.copyOf(extraVars), varsFromStdin, Optional.ofNullable(report),
                List.copyOf(tags), List.copyOf(skipTags), Optional.ofNullable(templates), acceptNewHostKeys,
                Duration.ofSeconds(timeoutSeconds), verbose, Optional.ofNullable(junit), terminal && !noProgress);
        return new Apply(connector, environment, stdin, out, err).migratingSeal(migration).run(request);
    }
}

package io.vaultcfg.cli;

import io.vaultcfg.app.ApplyRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of every command that runs a playbook on the inventory's hosts ({@code apply}, {@code audit},
 * {@code rotate-access-key}): which hosts, how many at once, variables, reports, SSH, progress. The descriptions are
 * apply's; a command whose help says it otherwise rewords them in its resource bundle (keyed by the long option name).
 */
final class SharedRunOptions {
    @Mixin
    InventoryArgument inventory;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Only touch hosts matching this pattern")
    String limit;

    @Option(names = {"-f", "--forks"}, defaultValue = "" + ApplyRequest.DEFAULT_FORKS, paramLabel = "FORKS", converter = CheckedValues.AtLeastOne.class,
            description = "Hosts handled in parallel, 1 or more (default: ${DEFAULT-VALUE})")
    int forks;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "KEY=VALUE",
            description = "Set a variable (highest precedence). Secrets belong in VAULTCFG_VAR_<name> or --vars-stdin: "
                    + "-e values show in process listings")
    List<String> extraVars = new ArrayList<>();

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write a machine-readable report")
    Path report;

    @Option(names = "--junit", paramLabel = "FILE.xml",
            description = "Write the results as JUnit XML: a test case per host and task; with --check, a pending change is a failure")
    Path junit;

    @Option(names = "--no-progress", description = "No progress line, even on a terminal (there is none when the output is not a terminal)")
    boolean noProgress;

    @Option(names = "--ssh-accept-new",
            description = "Trust and record host keys seen for the first time (changed keys are still refused)")
    boolean acceptNewHostKeys;

    @Option(names = "--timeout", defaultValue = "" + ApplyRequest.DEFAULT_TIMEOUT_SECONDS, paramLabel = "SECONDS", converter = CheckedValues.AtLeastOne.class,
            description = "SSH connect timeout in seconds, 1 or more (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    /**
     * The one place the command line's options become an {@link ApplyRequest}.
     *
     * @param playbook  the playbook options; a command without them passes {@code new PlaybookOptions()} (the built-in one)
     * @param tasks     apply's task and template selection; the others pass {@code new TaskOptions()} (every task)
     * @param terminal  the output is a terminal: a progress line unless {@code --no-progress}
     */
    ApplyRequest request(PlaybookOptions playbook, TaskOptions tasks, boolean terminal) {
        return new ApplyRequest(inventory.path(), Optional.ofNullable(playbook.playbook), playbook.check, playbook.diff,
                Optional.ofNullable(limit), forks, List.copyOf(extraVars), playbook.varsFromStdin, Optional.ofNullable(report),
                List.copyOf(tasks.tags), List.copyOf(tasks.skipTags), Optional.ofNullable(tasks.templates), acceptNewHostKeys,
                Duration.ofSeconds(timeoutSeconds), playbook.verbose, Optional.ofNullable(junit), terminal && !noProgress);
    }
}

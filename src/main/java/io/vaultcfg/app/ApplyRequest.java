package io.vaultcfg.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One {@code vaultcfg apply}: what to run against which hosts, and how. The command line builds it from its
 * flags; the lab builds it for its own inventory.
 *
 * @param playbook   empty: the built-in playbook
 * @param extraVars  {@code KEY=VALUE} assignments (highest precedence)
 * @param varsFromStdin read {@code KEY=VALUE} lines (secrets) from standard input
 * @param report     where to write the JSON report
 * @param templates  a directory to look for templates in first
 * @param junit      where to write the JUnit XML report
 * @param progress   show a progress line: the output is a terminal (the command line decides)
 */
public record ApplyRequest(
        Path inventory,
        Optional<Path> playbook,
        boolean check,
        boolean diff,
        Optional<String> limit,
        int forks,
        List<String> extraVars,
        boolean varsFromStdin,
        Optional<Path> report,
        List<String> tags,
        List<String> skipTags,
        Optional<Path> templates,
        boolean acceptNewHostKeys,
        Duration connectTimeout,
        boolean verbose,
        Optional<Path> junit,
        boolean progress) {
    public static final int DEFAULT_FORKS = 20;
    public static final int DEFAULT_TIMEOUT_SECONDS = 10;

    /** The same run in check mode, without diffs: nothing is written anywhere. */
    public ApplyRequest readOnly() {
        return new ApplyRequest(inventory, playbook, true, false, limit, forks, extraVars, varsFromStdin, report, tags, skipTags,
                templates, acceptNewHostKeys, connectTimeout, verbose, junit, progress);
    }

    /** The same run with these {@code KEY=VALUE} assignments instead. */
    public ApplyRequest withExtraVars(List<String> assignments) {
        return new ApplyRequest(inventory, playbook, check, diff, limit, forks, List.copyOf(assignments), varsFromStdin, report,
                tags, skipTags, templates, acceptNewHostKeys, connectTimeout, verbose, junit, progress);
    }

    /** The built-in playbook against {@code inventory}, with the command line's defaults. */
    public static ApplyRequest of(Path inventory) {
        return new ApplyRequest(inventory, Optional.empty(), false, false, Optional.empty(), DEFAULT_FORKS, List.of(), false,
                Optional.empty(), List.of(), List.of(), Optional.empty(), false, Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS),
                false, Optional.empty(), false);
    }
}

package io.vaultcfg.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which playbook and how it runs: the options {@code apply} and {@code rotate-access-key} share ({@code audit} runs its
 * built-in playbook read-only and has none of them). The descriptions are apply's, as in {@link SharedRunOptions}.
 */
final class PlaybookOptions {
    @Option(names = {"-p", "--playbook"}, paramLabel = "PLAYBOOK",
            description = "Playbook to run (default: the built-in playbooks/auto-unseal.yml)")
    Path playbook;

    @Option(names = {"-C", "--check"}, description = "Read only: show what would change; exit 2 when changes are pending")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "Show a unified diff of every file change (secrets redacted)")
    boolean diff;

    @Option(names = "--vars-stdin", description = "Read KEY=VALUE lines from standard input (for secrets)")
    boolean varsFromStdin;

    @Option(names = {"-v", "--verbose"},
            description = "Show every task of every host. Default: changed, failed, unreachable and skipped-for-a-reason "
                    + "lines; the hosts in sync as one count")
    boolean verbose;
}

package io.vaultcfg.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** apply's own: which of the playbook's tasks run, and where templates are looked for first. */
final class TaskOptions {
    @Option(names = "--tags", split = ",", description = "Only run tasks with these tags")
    List<String> tags = new ArrayList<>();

    @Option(names = "--skip-tags", split = ",", description = "Skip tasks with these tags")
    List<String> skipTags = new ArrayList<>();

    @Option(names = "--templates", paramLabel = "DIR", description = "Look for templates here first")
    Path templates;
}

package io.vaultcfg.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** How to run a playbook, as given on the command line. */
public record RunOptions(
        boolean check,
        boolean diff,
        Optional<String> limit,
        int forks,
        Map<String, Object> extraVars,
        Set<String> tags,
        Set<String> skipTags,
        boolean acceptNewHostKeys,
        Duration connectTimeout,
        List<Path> templateDirs) {
}

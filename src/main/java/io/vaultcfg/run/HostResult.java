package io.vaultcfg.run;

import io.vaultcfg.plan.StepStatus;
import java.util.List;
import java.util.Optional;

/** One host's outcome in one play. {@code error} explains an unreachable or failed host. */
public record HostResult(String play, String host, boolean unreachable, List<StepResult> steps, Optional<String> error) {

    public boolean failed() {
        return !unreachable && (error.isPresent() || count(StepStatus.FAILED) > 0);
    }

    public long count(StepStatus status) {
        return steps.stream().filter(step -> step.status() == status).count();
    }
}

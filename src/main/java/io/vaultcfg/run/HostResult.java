package io.vaultcfg.run;

import io.vaultcfg.plan.StepStatus;
import java.util.List;
import java.util.Optional;

/** One host's outcome in one play. {@code error} explains an unreachable or failed host. */
public record HostResult(String play, String host, boolean unreachable, List<StepResult> steps, Optional<String> error) {

    public boolean failed() {
        return !unreachable && (error.isPresent() || count(StepStatus.FAILED) > 0);
    }

    /**
     * What a batch's failure limit needs once the lines were reported: whether the host failed or was unreachable.
     * A run keeps this, not every host's lines, until its play ends.
     */
    HostResult outcomeOnly() {
        return new HostResult(play, host, unreachable,
                steps.stream().filter(step -> step.status() == StepStatus.FAILED).limit(1).toList(), error);
    }

    public long count(StepStatus status) {
        return steps.stream().filter(step -> step.status() == status).count();
    }
}

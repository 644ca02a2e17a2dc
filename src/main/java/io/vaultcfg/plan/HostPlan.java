package io.vaultcfg.plan;

import java.util.List;

/** The immutable plan for one host: the steps in order. Check mode prints it, apply executes it. */
public record HostPlan(String host, List<Step> steps) {
    public boolean hasChanges() {
        return steps.stream().anyMatch(step -> step.status() == StepStatus.CHANGED);
    }

    public boolean hasFailure() {
        return steps.stream().anyMatch(step -> step.status() == StepStatus.FAILED);
    }
}

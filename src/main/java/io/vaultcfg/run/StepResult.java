package io.vaultcfg.run;

import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import java.util.Optional;

/** What happened to one task on one host (in check mode: what would happen). Free of secrets. */
public record StepResult(String task, String module, StepStatus status, String message, Optional<String> diff) {
    static StepResult of(Step step, StepStatus status, String message) {
        return new StepResult(step.task(), step.module(), status, message, step.diff());
    }
}

package io.vaultcfg.run;

import io.vaultcfg.plan.StepStatus;
import java.util.List;
import java.util.Optional;

/**
 * The controller's outcome in one play (its AWS lines, for instance): a result kind of its own, never a
 * host, so an inventory host may be called anything. {@code error} explains why the play stopped.
 */
public record ControllerResult(String play, List<StepResult> steps, Optional<String> error) {

    public boolean failed() {
        return error.isPresent() || count(StepStatus.FAILED) > 0;
    }

    public long count(StepStatus status) {
        return steps.stream().filter(step -> step.status() == status).count();
    }
}

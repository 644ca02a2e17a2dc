package io.vaultcfg.run;

import io.vaultcfg.plan.ControllerAction;
import io.vaultcfg.plan.ControllerApplied;
import io.vaultcfg.plan.ControllerPlan;
import io.vaultcfg.plan.HostFacts;
import io.vaultcfg.plan.Step;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * One controller task through its steps, each output typed and handed to the next step: read (started
 * beside the hosts' facts), plan, apply (apply mode), after the hosts. The runner decides when each runs.
 */
final class ControllerSteps<R, P extends ControllerPlan, A extends ControllerApplied> {
    private final ControllerTask task;
    private final ControllerAction<R, P, A> action;
    private Future<R> reading;
    private P plan;
    private A applied;

    private ControllerSteps(ControllerTask task, ControllerAction<R, P, A> action) {
        this.task = task;
        this.action = action;
    }

    static ControllerSteps<?, ?, ?> of(ControllerTask task) {
        return capture(task, task.action());
    }

    private static <R, P extends ControllerPlan, A extends ControllerApplied> ControllerSteps<R, P, A> capture(
            ControllerTask task, ControllerAction<R, P, A> action) {
        return new ControllerSteps<>(task, action);
    }

    ControllerTask task() {
        return task;
    }

    /** Step 1, beside the hosts' facts: it takes no host slot. */
    void startReading(HostScheduler scheduler) {
        reading = scheduler.submit(() -> action.read(scheduler.executor()));
    }

    /** Step 2: waits for the read, then plans with every host of the play. */
    List<Step> plan(List<ControllerAction.FleetHost> fleet) {
        plan = action.plan(HostScheduler.await(reading), fleet);
        return plan.steps();
    }

    /** Step 3: in check mode the plan's exports (with unknowns); else applies the plan and returns what it made. */
    Map<String, Object> exports(boolean check) {
        if (check) {
            return plan.exports();
        }
        applied = action.apply(plan);
        return applied.exports();
    }

    /** Step 4 (apply mode, once applied): settles what depended on the hosts. */
    List<Step> afterHosts(Set<String> succeeded, Function<String, Optional<HostFacts>> reread) {
        return applied == null ? List.of() : action.afterHosts(applied, succeeded, reread);
    }
}

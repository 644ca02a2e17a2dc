package io.vaultcfg.run;

import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.secret.Redactor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One play being run: where its results go. Each result is told to the listeners the moment it exists and
 * then kept only as a summary, so a host's lines and diffs are released as soon as the host is done.
 */
final class PlayRun {
    final PlaybookRunner.PreparedPlay prepared;
    final HostExecution execution;
    final HostScheduler scheduler;
    final boolean check;
    private final Redactor redactor;
    private final RunListener listener;
    private final List<RunResult.Outcome> controllerOutcomes = new ArrayList<>();
    private final Map<String, RunResult.Outcome> hostOutcomes = new ConcurrentHashMap<>();
    private final Set<String> lost = ConcurrentHashMap.newKeySet();
    private final Set<String> succeeded = ConcurrentHashMap.newKeySet();
    private boolean controllerFailed;
    final SealMigrationOption sealMigration;

    PlayRun(PlaybookRunner.PreparedPlay prepared, HostExecution execution, HostScheduler scheduler, boolean check,
            Redactor redactor, RunListener listener) {
        this(prepared, execution, scheduler, check, redactor, listener, SealMigrationOption.OFF);
    }

    PlayRun(PlaybookRunner.PreparedPlay prepared, HostExecution execution, HostScheduler scheduler, boolean check,
            Redactor redactor, RunListener listener, SealMigrationOption sealMigration) {
        this.sealMigration = sealMigration;
        this.prepared = prepared;
        this.execution = execution;
        this.scheduler = scheduler;
        this.check = check;
        this.redactor = redactor;
        this.listener = listener;
    }

    String play() {
        return prepared.play().name();
    }

    /** Called from the host's worker. */
    void hostFinished(HostResult result) {
        listener.on(new RunEvent.HostFinished(result));
        if (result.unreachable() || result.failed()) {
            lost.add(result.host());
        } else {
            succeeded.add(result.host());
        }
        hostOutcomes.put(result.host(), RunResult.Outcome.of(result));
    }

    /** The play's rollout: its clusters and their order. */
    void announce(RunEvent.RolloutPlanned rollout) {
        listener.on(rollout);
    }

    /** The controller's lines (check mode: as each step previews itself), redacted, as a result of their own. */
    void controllerFinished(List<StepResult> steps, Optional<String> error) {
        ControllerResult result = new ControllerResult(play(), steps.stream().map(step -> new StepResult(step.task(),
                step.module(), step.status(), redactor.redact(step.message()), Optional.empty())).toList(),
                error.map(redactor::redact));
        listener.on(new RunEvent.ControllerFinished(result));
        controllerFailed |= result.failed();
        synchronized (controllerOutcomes) {
            controllerOutcomes.add(RunResult.Outcome.of(result));
        }
    }

    StepResult controllerLine(ControllerTask task, Step step) {
        Step.Preview shown = check ? step.preview() : new Step.Preview(step.status(), step.message()); // check: not carried out
        return new StepResult(task.name(), task.module(), shown.status(), shown.message(), Optional.empty());
    }

    /** The controller's first, then the hosts' in the play's host order (not the order they finished in). */
    List<RunResult.Outcome> outcomes() {
        List<RunResult.Outcome> all;
        synchronized (controllerOutcomes) {
            all = new ArrayList<>(controllerOutcomes);
        }
        prepared.hosts().stream().map(work -> hostOutcomes.get(work.host())).filter(Objects::nonNull).forEach(all::add);
        return List.copyOf(all);
    }

    /** Hosts that failed or were unreachable in this play: later plays skip them. */
    Set<String> lost() {
        return Set.copyOf(lost);
    }

    /** Hosts whose every change went through. */
    Set<String> succeeded() {
        return Set.copyOf(succeeded);
    }

    boolean controllerFailed() {
        return controllerFailed;
    }
}

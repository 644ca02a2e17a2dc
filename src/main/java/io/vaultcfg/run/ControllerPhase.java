package io.vaultcfg.run;

import io.vaultcfg.config.ConfigException;
import io.vaultcfg.plan.ControllerAction;
import io.vaultcfg.plan.ControllerPlan.ControllerFailure;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.HostFacts;
import io.vaultcfg.plan.HostPlan;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.plan.Unknown;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A play with controller tasks, as steps of the runner: the controller reads (AWS) while every host's facts
 * are read; once both are in, the controller plans, then applies (apply mode); then each host's tasks that
 * read a controller value are prepared with it, and the host is planned and applied from the facts already
 * read; last, the controller settles what depended on the hosts.
 */
final class ControllerPhase {
    private final PlayRun run;
    private final TaskPreparer preparer;
    private final List<ControllerSteps<?, ?, ?>> tasks;
    /**
     * The planning pass's plans of the hosts whose tasks stay in memory (a fleet within forks), made with controller
     * values all known. A host's step carries its plan out when the controller's values turned out the same (a
     * converged AWS side, and every check), instead of planning again from the same tasks and facts.
     */
    private final Map<String, HostPlan> plannedAhead = new ConcurrentHashMap<>();
    private Map<String, Object> plannedValues = Map.of();

    ControllerPhase(PlayRun run, TaskPreparer preparer) {
        this.run = run;
        this.preparer = preparer;
        this.tasks = run.prepared.controller().stream().filter(task -> !task.skipped()).map(ControllerSteps::of).toList();
    }

    /** @param hosts the play's hosts not lost in an earlier play, targeted or not */
    void run(List<HostWork> hosts, Set<String> lostEarlier) {
        tasks.forEach(task -> task.startReading(run.scheduler));
        Map<String, HostExecution.Gathered> byHost = readFacts(hosts);
        List<HostWork> targets = hosts.stream().filter(HostWork::targeted).toList();
        Optional<Rollout> rollout = Rollout.applies(hosts) ? Optional.of(Rollout.of(run, hosts, byHost)) : Optional.empty();
        List<StepResult> lines = new ArrayList<>();
        Optional<String> planError = plan(fleet(byHost, lostEarlier), lines);
        Map<String, Object> planned = planError.isEmpty() ? plannedExports() : Map.of();
        plannedValues = planned;
        Map<String, HostResult> refused = refuseBeforeChanges(targets, byHost, rollout, planned);
        List<HostWork> remaining = targets.stream().filter(work -> !refused.containsKey(work.host())).toList();
        Optional<String> noApply = !targets.isEmpty() && remaining.isEmpty()
                ? Optional.of("not applied: every host of the play was refused before any change, so nothing was created "
                        + "or changed in AWS")
                : Optional.empty();
        Optional<Map<String, Object>> exports = apply(lines, planError, noApply);
        if (exports.isEmpty()) {
            return;
        }
        if (rollout.isPresent()) {
            rollout.get().announce(remaining, previews(rollout.get(), remaining, byHost, exports.get()));
            rollout.get().run(remaining, work -> reported(rollout.get().runHost(work,
                    gate -> hostStep(byHost.remove(work.host()), exports.get(), gate))));
        } else {
            run.scheduler.run(HostOrder.eachHostAlone(PlaybookRunner.batches(run.prepared.play(), remaining)),
                    work -> reported(hostStep(byHost.remove(work.host()), exports.get(), HostExecution.ApplyGate.OPEN)));
        }
        if (!run.check) {
            afterHosts(remaining);
        }
    }

    /**
     * The planning pass before the controller changes anything: a host whose plan already fails with the
     * controller's values still unknown (e.g. a Shamir node that a restart would leave sealed), or whose cluster
     * disagrees with the inventory, is refused now, and its planned changes are reported as not carried out.
     */
    private Map<String, HostResult> refuseBeforeChanges(List<HostWork> targets, Map<String, HostExecution.Gathered> byHost,
                                                        Optional<Rollout> rollout, Map<String, Object> planned) {
        Map<String, HostResult> refused = new LinkedHashMap<>(rollout.map(r -> r.refusals(targets)).orElse(Map.of()));
        List<HostWork> toPreview = targets.stream().filter(work -> !refused.containsKey(work.host()))
                .filter(work -> byHost.get(work.host()) != null && byHost.get(work.host()).ok()).toList();
        // each host's plan is its own: side by side, on the run's workers
        List<Optional<HostResult>> previewed = run.scheduler.run(HostOrder.allAtOnce(toPreview),
                work -> refusal(work, byHost.get(work.host()), planned));
        previewed.forEach(refusal -> refusal.ifPresent(result -> refused.put(result.host(), result)));
        refused.values().forEach(run::hostFinished);
        return refused;
    }

    /** The host's refusal when its plan already fails with the planned values. */
    private Optional<HostResult> refusal(HostWork work, HostExecution.Gathered read, Map<String, Object> planned) {
        boolean keepPlan = work.holdsPrepared() && allKnown(planned);
        Optional<HostWork> withValues = withPlannedValues(work, planned);
        HostPlan plan = Rollout.preview(withValues.orElse(work), read.facts());
        work.unload();
        if (!plan.hasFailure()) {
            if (keepPlan && withValues.isPresent()) {
                plannedAhead.put(work.host(), plan);
            }
            return Optional.empty();
        }
        run.execution.release(work);
        return Optional.of(run.execution.result(work, HostExecution.notCarriedOut(plan),
                Optional.of("refused before any change (in AWS or on this host)")));
    }

    /** Each host's facts and the controller's, in one round trip per host; a host's are dropped once it is done. */
    private Map<String, HostExecution.Gathered> readFacts(List<HostWork> hosts) {
        Map<String, HostExecution.Gathered> byHost = new ConcurrentHashMap<>();
        run.scheduler.run(HostOrder.allAtOnce(hosts), work -> {
            HostExecution.Gathered read = run.execution.gather(work, fleetFacts(work));
            run.execution.release(work);
            work.unload();
            byHost.put(work.host(), read);
            return null;
        });
        return byHost;
    }

    private List<Fact<?>> fleetFacts(HostWork work) {
        return tasks.stream().flatMap(task -> task.task().action().fleetFacts(work.vars()).stream()).distinct().toList();
    }

    /**
     * Every host of the play, also the ones not read now or lost in an earlier play: the controller must know. Each
     * is made when the controller's plan asks for it (its variables composed then), so a plan that passes over a
     * large fleet never holds every host's variables at once.
     */
    private List<ControllerAction.FleetHost> fleet(Map<String, HostExecution.Gathered> byHost, Set<String> lostEarlier) {
        List<HostWork> hosts = run.prepared.hosts();
        return new AbstractList<>() {
            @Override
            public ControllerAction.FleetHost get(int index) {
                return fleetHost(hosts.get(index), byHost.get(hosts.get(index).host()), lostEarlier);
            }

            @Override
            public int size() {
                return hosts.size();
            }
        };
    }

    private static ControllerAction.FleetHost fleetHost(HostWork work, HostExecution.Gathered read, Set<String> lostEarlier) {
        if (read != null && read.ok()) {
            return new ControllerAction.FleetHost(work.host(), work.vars(), read.facts(), work.targeted(), Optional.empty());
        }
        String why = read == null || lostEarlier.contains(work.host()) ? "failed or unreachable in an earlier play"
                : (read.failure().unreachable() ? "unreachable: " : "failed: ") + read.failure().error().orElse("");
        return new ControllerAction.FleetHost(work.host(), work.vars(), null, work.targeted(), Optional.of(why));
    }

    /** Step 2 of every controller task: the plans (no change anywhere), their lines added to {@code lines}. */
    private Optional<String> plan(List<ControllerAction.FleetHost> fleet, List<StepResult> lines) {
        for (ControllerSteps<?, ?, ?> task : tasks) {
            try {
                List<Step> steps = task.plan(fleet);
                steps.forEach(step -> lines.add(run.controllerLine(task.task(), step)));
                if (steps.stream().anyMatch(step -> step.status() == StepStatus.FAILED)) {
                    return Optional.of("stopped before changing anything");
                }
            } catch (ControllerFailure e) {
                return Optional.of(e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** The values the plans promise (unknown where only applying can tell), for the planning pass of the hosts. */
    private Map<String, Object> plannedExports() {
        Map<String, Object> planned = new LinkedHashMap<>();
        tasks.forEach(task -> planned.putAll(task.exports(true)));
        return planned;
    }

    /**
     * A host's tasks with the planned values (e.g. the id of a key the plan takes over), so that a host is judged
     * against what will be; empty when they cannot take them (then the host is judged as prepared, values unknown).
     */
    private static boolean allKnown(Map<String, Object> values) {
        return values.values().stream().noneMatch(value -> value instanceof Unknown);
    }

    private Optional<HostWork> withPlannedValues(HostWork work, Map<String, Object> planned) {
        if (planned.values().stream().allMatch(value -> value instanceof Unknown)) {
            return Optional.empty(); // prepared with exactly these: nothing is known yet
        }
        try {
            return Optional.of(withExports(work, planned));
        } catch (ConfigException e) {
            return Optional.empty(); // the host fails with it in its own step
        }
    }

    /** Step 3: (apply mode) the plans' changes; empty when the play stops here. */
    private Optional<Map<String, Object>> apply(List<StepResult> lines, Optional<String> planError, Optional<String> noApply) {
        Map<String, Object> exports = new LinkedHashMap<>();
        Optional<String> error = planError;
        if (error.isEmpty() && noApply.isPresent()) {
            lines.replaceAll(line -> line.status() == StepStatus.CHANGED ? new StepResult(line.task(), line.module(),
                    StepStatus.SKIPPED, "not carried out: " + line.message(), line.diff()) : line);
            error = noApply;
        }
        if (error.isEmpty()) {
            for (ControllerSteps<?, ?, ?> task : tasks) {
                try {
                    exports.putAll(task.exports(run.check));
                } catch (ControllerFailure e) {
                    error = Optional.of(e.getMessage());
                    break;
                }
            }
        }
        run.controllerFinished(lines, error);
        return error.isPresent() ? Optional.empty() : Optional.of(exports);
    }

    /** The clustered nodes' plans with the controller's values, for the rollout's announcement. */
    private Map<String, HostPlan> previews(Rollout rollout, List<HostWork> targets, Map<String, HostExecution.Gathered> byHost,
                                           Map<String, Object> exports) {
        Map<String, HostPlan> plans = new LinkedHashMap<>();
        for (HostWork work : targets) {
            HostExecution.Gathered read = byHost.get(work.host());
            if (read == null || !read.ok() || !rollout.clustered(work.host())) {
                continue;
            }
            try {
                plans.put(work.host(), Rollout.preview(withExports(work, exports), read.facts()));
            } catch (ConfigException e) {
                // the host fails with it in its own step
            }
            work.unload();
        }
        return plans;
    }

    /** Told to the listeners; only its outcome is kept until the play ends (for the failure limit). */
    private HostResult reported(HostResult result) {
        run.hostFinished(result);
        return result.outcomeOnly();
    }

    /** A host of the play once the controller's values are known: its own facts were read in the first step. */
    private HostResult hostStep(HostExecution.Gathered read, Map<String, Object> exports, HostExecution.ApplyGate gate) {
        if (!read.ok()) {
            read.work().release();
            return read.failure();
        }
        HostPlan planned = plannedAhead.remove(read.work().host());
        if (planned != null && exports.equals(plannedValues)) {
            HostResult result = run.execution.carryOut(read.work(), planned, gate);
            run.execution.release(read.work());
            read.work().release();
            return result;
        }
        HostWork work;
        try {
            work = withExports(read.work(), exports);
        } catch (ConfigException e) {
            // The controller may have changed AWS already: this host fails, the run goes on to its recap.
            run.execution.release(read.work());
            read.work().release();
            HostResult failed = run.execution.result(read.work(), List.of(),
                    Optional.of(e.getMessage() + "; this host was not changed"));
            return failed;
        }
        HostResult result = run.execution.planAndApply(work, read.facts(), gate);
        run.execution.release(read.work());
        read.work().release();
        work.release();
        return result;
    }

    /**
     * The declared step that gives a host's tasks the controller's values: only the tasks that read one are
     * prepared again (their first preparation, with the values unknown, validated them before any contact).
     */
    private HostWork withExports(HostWork work, Map<String, Object> exports) {
        if (work.tasksAwaitingValues().isEmpty() && work.handlersAwaitingValues().isEmpty()) {
            return work;
        }
        Map<String, Object> vars = new LinkedHashMap<>(work.vars());
        vars.putAll(exports);
        return work.withTasks(
                preparer.completed(run.prepared.play().tasks(), vars, false, work.tasks(), work.tasksAwaitingValues()),
                preparer.completed(run.prepared.play().handlers(), vars, true, work.handlers(), work.handlersAwaitingValues()));
    }

    /** Lets each applied controller task settle what depended on the hosts; its lines are a second controller result. */
    private void afterHosts(List<HostWork> targets) {
        Map<String, HostWork> byName = new LinkedHashMap<>();
        targets.forEach(work -> byName.put(work.host(), work));
        Set<String> succeeded = run.succeeded();
        List<StepResult> lines = new ArrayList<>();
        Optional<String> error = Optional.empty();
        for (ControllerSteps<?, ?, ?> task : tasks) {
            try {
                task.afterHosts(succeeded, name -> reread(byName.get(name)))
                        .forEach(step -> lines.add(run.controllerLine(task.task(), step)));
            } catch (ControllerFailure e) {
                error = Optional.of(e.getMessage());
                break;
            }
        }
        if (!lines.isEmpty() || error.isPresent()) {
            run.controllerFinished(lines, error);
        }
    }

    private Optional<HostFacts> reread(HostWork work) {
        if (work == null) {
            return Optional.empty();
        }
        HostExecution.Gathered read = run.execution.gather(work, fleetFacts(work));
        run.execution.release(work);
        return read.ok() ? Optional.of(read.facts()) : Optional.empty();
    }
}

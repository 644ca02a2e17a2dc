package io.vaultcfg.run;

import io.vaultcfg.config.ConfigException;
import io.vaultcfg.plan.ControllerAction;
import io.vaultcfg.plan.ControllerPlan.ControllerFailure;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.HostFacts;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
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

    ControllerPhase(PlayRun run, TaskPreparer preparer) {
        this.run = run;
        this.preparer = preparer;
        this.tasks = run.prepared.controller().stream().filter(task -> !task.skipped()).map(ControllerSteps::of).toList();
    }

    /** @param hosts the play's hosts not lost in an earlier play, targeted or not */
    void run(List<HostWork> hosts, Set<String> lostEarlier) {
        tasks.forEach(task -> task.startReading(run.scheduler));
        Map<String, HostExecution.Gathered> byHost = readFacts(hosts);
        Optional<Map<String, Object>> exports = planAndApply(fleet(byHost, lostEarlier));
        if (exports.isEmpty()) {
            return;
        }
        List<HostWork> targets = hosts.stream().filter(HostWork::targeted).toList();
        run.scheduler.run(HostOrder.eachHostAlone(PlaybookRunner.batches(run.prepared.play(), targets)),
                work -> hostStep(byHost.remove(work.host()), exports.get()));
        if (!run.check) {
            afterHosts(targets);
        }
    }

    /** Each host's facts and the controller's, in one round trip per host; a host's are dropped once it is done. */
    private Map<String, HostExecution.Gathered> readFacts(List<HostWork> hosts) {
        Map<String, HostExecution.Gathered> byHost = new ConcurrentHashMap<>();
        run.scheduler.run(HostOrder.allAtOnce(hosts), work -> {
            HostExecution.Gathered read = run.execution.gather(work, fleetFacts(work));
            run.execution.release(work);
            if (!work.targeted()) {
                work.release(); // read for the controller only: never planned
            }
            byHost.put(work.host(), read);
            return null;
        });
        return byHost;
    }

    private List<Fact<?>> fleetFacts(HostWork work) {
        return tasks.stream().flatMap(task -> task.task().action().fleetFacts(work.vars()).stream()).distinct().toList();
    }

    /** Every host of the play, also the ones not read now or lost in an earlier play: the controller must know. */
    private List<ControllerAction.FleetHost> fleet(Map<String, HostExecution.Gathered> byHost, Set<String> lostEarlier) {
        List<ControllerAction.FleetHost> fleet = new ArrayList<>();
        for (HostWork work : run.prepared.hosts()) {
            HostExecution.Gathered read = byHost.get(work.host());
            if (read != null && read.ok()) {
                fleet.add(new ControllerAction.FleetHost(work.host(), work.vars(), read.facts(), work.targeted(), Optional.empty()));
            } else {
                String why = read == null || lostEarlier.contains(work.host()) ? "failed or unreachable in an earlier play"
                        : (read.failure().unreachable() ? "unreachable: " : "failed: ") + read.failure().error().orElse("");
                fleet.add(new ControllerAction.FleetHost(work.host(), work.vars(), null, work.targeted(), Optional.of(why)));
            }
        }
        return fleet;
    }

    /** The controller's plan and (apply mode) its changes; empty when the play stops here. */
    private Optional<Map<String, Object>> planAndApply(List<ControllerAction.FleetHost> fleet) {
        Map<String, Object> exports = new LinkedHashMap<>();
        List<StepResult> lines = new ArrayList<>();
        Optional<String> error = Optional.empty();
        for (ControllerSteps<?, ?, ?> task : tasks) {
            try {
                List<Step> steps = task.plan(fleet);
                steps.forEach(step -> lines.add(run.controllerLine(task.task(), step)));
                if (steps.stream().anyMatch(step -> step.status() == StepStatus.FAILED)) {
                    error = Optional.of("stopped before changing anything");
                    break;
                }
                exports.putAll(task.exports(run.check));
            } catch (ControllerFailure e) {
                error = Optional.of(e.getMessage());
                break;
            }
        }
        run.controllerFinished(lines, error);
        return error.isPresent() ? Optional.empty() : Optional.of(exports);
    }

    /** A host of the play once the controller's values are known: its own facts were read in the first step. */
    private HostResult hostStep(HostExecution.Gathered read, Map<String, Object> exports) {
        if (!read.ok()) {
            read.work().release();
            run.hostFinished(read.failure());
            return read.failure();
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
            run.hostFinished(failed);
            return failed;
        }
        HostResult result = run.execution.planAndApply(work, read.facts());
        run.execution.release(read.work());
        read.work().release();
        work.release();
        run.hostFinished(result);
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

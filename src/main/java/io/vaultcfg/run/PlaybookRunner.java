package io.vaultcfg.run;

import io.vaultcfg.config.ConfigException;
import io.vaultcfg.inventory.ConnectionVars;
import io.vaultcfg.inventory.Host;
import io.vaultcfg.inventory.Inventory;
import io.vaultcfg.module.ControllerModule;
import io.vaultcfg.module.Modules;
import io.vaultcfg.playbook.Play;
import io.vaultcfg.playbook.Playbook;
import io.vaultcfg.playbook.Task;
import io.vaultcfg.plan.ControllerAction;
import io.vaultcfg.plan.ControllerPlan;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.render.TemplateRenderer;
import io.vaultcfg.secret.Redactor;
import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.ssh.SshConfigSources;
import io.vaultcfg.ssh.SshTarget;
import io.vaultcfg.vars.Interpolator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a playbook against an inventory. Everything that can be wrong in the input is found in the
 * preparation pass, before any host is contacted; then each play runs its hosts in parallel
 * ({@code forks} at a time, {@code serial} batches in order), one worker per host.
 *
 * <p>A play with controller tasks (AWS provisioning) runs in two phases: read every host's facts
 * while the controller reads AWS; plan and apply the controller side once; then plan and apply the
 * hosts with the controller's results, reusing the facts already read.
 */
public final class PlaybookRunner {
    public static final String CONTROLLER_HOST = "controller";

    private final Modules modules;
    private final SshConnector connector;
    private final Redactor redactor;
    private final SshConfigSources sshSources;
    private TaskPreparer preparer;
    private SshConnectionSettings sshSettings;

    public PlaybookRunner(Modules modules, SshConnector connector, Redactor redactor) {
        this(modules, connector, redactor, SshConfigSources.ofUser());
    }

    /** {@code sshSources}: the home whose {@code .ssh/config} and known_hosts are read, and the system known_hosts. */
    public PlaybookRunner(Modules modules, SshConnector connector, Redactor redactor, SshConfigSources sshSources) {
        this.modules = modules;
        this.connector = connector;
        this.redactor = redactor;
        this.sshSources = sshSources;
    }

    /** A play with its controller tasks and the work of each of its hosts. */
    public record PreparedPlay(Play play, List<ControllerTask> controller, List<HostWork> hosts) {
        boolean hasController() {
            return controller.stream().anyMatch(task -> !task.skipped());
        }
    }

    /** Preparation only: validates and renders everything for every host; throws ConfigException on bad input. */
    public List<PreparedPlay> prepare(Inventory inventory, Playbook playbook, RunOptions options) {
        TemplateRenderer templates = new TemplateRenderer(options.templateDirs());
        preparer = new TaskPreparer(modules, templates, redactor, options.tags(), options.skipTags());
        sshSettings = new SshConnectionSettings(sshSources);
        List<PreparedPlay> plays = new ArrayList<>();
        for (Play play : playbook.plays()) {
            plays.add(preparePlay(inventory, play, options));
        }
        return plays;
    }

    private PreparedPlay preparePlay(Inventory inventory, Play play, RunOptions options) {
        List<Host> hosts = inventory.select(hostPattern(play, options), play.location());
        Set<String> targeted = new HashSet<>(hosts.stream().map(Host::name).toList());
        if (options.limit().isPresent()) {
            targeted.retainAll(inventory.select(options.limit().get(), "--limit").stream().map(Host::name).toList());
        }
        List<Task> controllerTasks = TaskPreparer.controllerTasks(play.tasks(), modules);
        List<ControllerTask> controller = new ArrayList<>();
        Map<String, Object> placeholders = new LinkedHashMap<>();
        List<HostWork> work = new ArrayList<>();
        for (Host host : hosts) {
            boolean isTarget = targeted.contains(host.name());
            if (!isTarget && controllerTasks.isEmpty()) {
                continue;
            }
            Map<String, Object> vars = HostVariables.compose(play, host.name(), host.vars(), inventory.magicVariables(host),
                    options.extraVars(), options.check());
            redactor.addSecretVariables(vars, new LinkedHashSet<>(play.secretVars()));
            if (controller.isEmpty() && !controllerTasks.isEmpty()) {
                // Like Ansible's run_once: controller tasks see the first host's variables.
                for (Task task : controllerTasks) {
                    ControllerTask prepared = preparer.prepareController(task, vars);
                    controller.add(prepared);
                    if (!prepared.skipped()) {
                        prepared.action().prepareLocally();
                        ((ControllerModule) modules.get(task.module())).exports()
                                .forEach(name -> placeholders.put(name, ControllerModule.KNOWN_AFTER_APPLY));
                    }
                }
            }
            for (ControllerTask task : controller) {
                if (!task.skipped()) {
                    task.action().checkHost(host.name(), vars);
                }
            }
            // Until the controller has run, its variables are placeholders: enough to validate every template now.
            Map<String, Object> checkedVars = new LinkedHashMap<>(vars);
            checkedVars.putAll(placeholders);
            work.add(hostWork(inventory, host, play, options, vars, isTarget, checkedVars));
        }
        return new PreparedPlay(play, List.copyOf(controller), List.copyOf(work));
    }

    private HostWork hostWork(Inventory inventory, Host host, Play play, RunOptions options, Map<String, Object> vars,
                              boolean targeted, Map<String, Object> taskVars) {
        ConnectionVars connection = ConnectionVars.parse(host.name(), vars, name -> inventory.locationOf(host.name(), name));
        boolean become = connection.becomeSet() ? connection.become() : play.become().orElse(false);
        Optional<String> becomeUser = become
                ? Optional.of(connection.becomeUserSet() ? connection.becomeUser() : play.becomeUser().orElse("root"))
                : Optional.empty();
        SshTarget target = sshSettings.target(host.name(), connection, options.acceptNewHostKeys(), options.connectTimeout());
        return new HostWork(host.name(), target, becomeUser, vars, targeted,
                preparer.prepare(play.tasks(), taskVars, false),
                preparer.prepare(play.handlers(), taskVars, true));
    }

    /** A play's {@code hosts:} may use play-level variables and -e, as in Ansible. */
    private static String hostPattern(Play play, RunOptions options) {
        Map<String, Object> vars = new LinkedHashMap<>(play.defaults());
        vars.putAll(play.vars());
        vars.putAll(options.extraVars());
        return String.valueOf(Interpolator.resolve(play.hosts(), vars, play.location(), "hosts"));
    }

    public RunResult run(List<PreparedPlay> plays, RunOptions options, RunListener listener) {
        List<HostResult> results = new ArrayList<>();
        Set<String> lostHosts = new HashSet<>();
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, options.forks()), runnable -> {
            Thread thread = new Thread(runnable, "vaultcfg-host");
            thread.setDaemon(true);
            return thread;
        });
        long hostCount = plays.stream().flatMap(play -> play.hosts().stream()).map(HostWork::host).distinct().count();
        try (Sessions sessions = new Sessions(connector)) {
            HostExecution execution = null;
            for (PreparedPlay prepared : plays) {
                execution = new HostExecution(prepared.play().name(), sessions, options.check(), options.diff(), redactor,
                        hostCount <= Math.max(1, options.forks()));
                List<HostWork> hosts = prepared.hosts().stream().filter(host -> !lostHosts.contains(host.host())).toList();
                List<HostWork> targets = hosts.stream().filter(HostWork::targeted).toList();
                List<String> names = new ArrayList<>(targets.stream().map(HostWork::host).toList());
                if (prepared.hasController()) {
                    names.add(0, CONTROLLER_HOST);
                }
                listener.playStarted(prepared.play().name(), names, options.check());
                List<HostResult> playResults = prepared.hasController()
                        ? runWithController(prepared, hosts, lostHosts, execution, workers, listener, options.check())
                        : runHosts(prepared, targets, execution, workers, listener);
                for (HostResult result : playResults) {
                    results.add(result);
                    if (result.unreachable() || result.failed()) {
                        lostHosts.add(result.host());
                    }
                }
                if (playResults.stream().anyMatch(r -> r.host().equals(CONTROLLER_HOST) && r.failed())) {
                    break;
                }
            }
        } finally {
            workers.shutdownNow();
            closeControllerTasks(plays);
        }
        RunResult result = new RunResult(options.check(), List.copyOf(results));
        listener.runFinished(result);
        return result;
    }

    private static void closeControllerTasks(List<PreparedPlay> plays) {
        plays.stream().flatMap(play -> play.controller().stream()).filter(task -> !task.skipped())
                .forEach(task -> task.action().close());
    }

    private List<HostResult> runHosts(PreparedPlay prepared, List<HostWork> hosts, HostExecution execution,
                                      ExecutorService workers, RunListener listener) {
        List<HostResult> results = new ArrayList<>();
        for (List<Integer> batch : prepared.play().serial().batches(hosts.size())) {
            List<Callable<HostResult>> jobs = new ArrayList<>();
            for (int index : batch) {
                HostWork work = hosts.get(index);
                jobs.add(() -> report(listener, execution.run(work)));
            }
            results.addAll(all(workers, jobs));
        }
        return results;
    }

    private List<HostResult> runWithController(PreparedPlay prepared, List<HostWork> hosts, Set<String> lostHosts,
                                               HostExecution execution, ExecutorService workers, RunListener listener,
                                               boolean check) {
        List<ControllerTask> controller = prepared.controller().stream().filter(task -> !task.skipped()).toList();
        controller.forEach(task -> task.action().startReading());
        List<Callable<HostExecution.Gathered>> reads = new ArrayList<>();
        for (HostWork work : hosts) {
            List<Fact<?>> fleetFacts = controller.stream()
                    .flatMap(task -> task.action().fleetFacts(work.vars()).stream()).distinct().toList();
            reads.add(() -> {
                HostExecution.Gathered read = execution.gather(work, fleetFacts);
                execution.release(work);
                return read;
            });
        }
        List<HostExecution.Gathered> gathered = all(workers, reads);
        List<ControllerAction.FleetHost> fleet = fleet(prepared, gathered, lostHosts);

        List<HostResult> results = new ArrayList<>();
        Map<String, Object> exports = new LinkedHashMap<>();
        List<StepResult> controllerSteps = new ArrayList<>();
        Optional<String> controllerError = Optional.empty();
        List<ControllerPlan> applied = new ArrayList<>();
        for (ControllerTask task : controller) {
            try {
                ControllerPlan plan = task.action().plan(fleet);
                plan.steps().forEach(step -> controllerSteps.add(asResult(task, step, check)));
                if (plan.steps().stream().anyMatch(step -> step.status() == StepStatus.FAILED)) {
                    controllerError = Optional.of("stopped before changing anything");
                    break;
                }
                exports.putAll(check ? plan.plannedExports() : plan.apply());
                applied.add(plan);
            } catch (ControllerPlan.ControllerFailure | io.vaultcfg.aws.AwsFailure e) {
                controllerError = Optional.of(e.getMessage());
                break;
            }
        }
        HostResult controllerResult = new HostResult(prepared.play().name(), CONTROLLER_HOST, false,
                controllerSteps.stream().map(step -> new StepResult(step.task(), step.module(), step.status(),
                        redactor.redact(step.message()), Optional.empty())).toList(),
                controllerError.map(redactor::redact));
        results.add(report(listener, controllerResult));
        if (controllerError.isPresent()) {
            return results;
        }

        Map<String, HostExecution.Gathered> byHost = new LinkedHashMap<>();
        gathered.forEach(g -> byHost.put(g.work().host(), g));
        List<HostWork> targets = hosts.stream().filter(HostWork::targeted).toList();
        for (List<Integer> batch : prepared.play().serial().batches(targets.size())) {
            List<Callable<HostResult>> jobs = new ArrayList<>();
            for (int index : batch) {
                HostExecution.Gathered read = byHost.get(targets.get(index).host());
                if (!read.ok()) {
                    jobs.add(() -> report(listener, read.failure()));
                    continue;
                }
                jobs.add(() -> {
                    HostWork withResults;
                    try {
                        withResults = withExports(prepared.play(), read.work(), exports);
                    } catch (ConfigException e) {
                        // The controller may have changed AWS already: this host fails, the run goes on to its recap.
                        execution.release(read.work());
                        return report(listener, new HostResult(prepared.play().name(), read.work().host(), false, List.of(),
                                Optional.of(redactor.redact(e.getMessage() + "; this host was not changed"))));
                    }
                    HostResult result = execution.planAndApply(withResults, read.facts());
                    execution.release(read.work());
                    return report(listener, result);
                });
            }
            results.addAll(all(workers, jobs));
        }
        if (!check) {
            results.addAll(afterHosts(prepared, controller, applied, hosts, results, execution, listener));
        }
        return results;
    }

    /** Every host of the play, also the ones not read now or lost in an earlier play: the controller must know. */
    private static List<ControllerAction.FleetHost> fleet(PreparedPlay prepared, List<HostExecution.Gathered> gathered,
                                                          Set<String> lostHosts) {
        Map<String, HostExecution.Gathered> byHost = new LinkedHashMap<>();
        gathered.forEach(g -> byHost.put(g.work().host(), g));
        List<ControllerAction.FleetHost> fleet = new ArrayList<>();
        for (HostWork work : prepared.hosts()) {
            HostExecution.Gathered read = byHost.get(work.host());
            if (read != null && read.ok()) {
                fleet.add(new ControllerAction.FleetHost(work.host(), work.vars(), read.facts(), work.targeted(), Optional.empty()));
            } else {
                String why = read == null || lostHosts.contains(work.host()) ? "failed or unreachable in an earlier play"
                        : (read.failure().unreachable() ? "unreachable: " : "failed: ") + read.failure().error().orElse("");
                fleet.add(new ControllerAction.FleetHost(work.host(), work.vars(), null, work.targeted(), Optional.of(why)));
            }
        }
        return fleet;
    }

    /** Lets each applied controller task settle what depended on the hosts; its lines are a second controller result. */
    private List<HostResult> afterHosts(PreparedPlay prepared, List<ControllerTask> controller, List<ControllerPlan> applied,
                                        List<HostWork> hosts, List<HostResult> results, HostExecution execution,
                                        RunListener listener) {
        Set<String> succeeded = new HashSet<>();
        results.stream().filter(r -> !r.host().equals(CONTROLLER_HOST) && !r.failed() && !r.unreachable())
                .forEach(r -> succeeded.add(r.host()));
        Map<String, HostWork> byName = new LinkedHashMap<>();
        hosts.stream().filter(HostWork::targeted).forEach(work -> byName.put(work.host(), work));
        java.util.function.Function<String, Optional<io.vaultcfg.plan.HostFacts>> reread = name -> {
            HostWork work = byName.get(name);
            if (work == null) {
                return Optional.empty();
            }
            List<Fact<?>> fleetFacts = controller.stream()
                    .flatMap(task -> task.action().fleetFacts(work.vars()).stream()).distinct().toList();
            HostExecution.Gathered read = execution.gather(work, fleetFacts);
            execution.release(work);
            return read.ok() ? Optional.of(read.facts()) : Optional.empty();
        };
        List<StepResult> steps = new ArrayList<>();
        Optional<String> error = Optional.empty();
        for (int i = 0; i < applied.size(); i++) {
            ControllerTask task = controller.get(i);
            try {
                applied.get(i).afterHosts(Set.copyOf(succeeded), reread).forEach(step -> steps.add(asResult(task, step, false)));
            } catch (ControllerPlan.ControllerFailure | io.vaultcfg.aws.AwsFailure e) {
                error = Optional.of(e.getMessage());
                break;
            }
        }
        if (steps.isEmpty() && error.isEmpty()) {
            return List.of();
        }
        HostResult after = new HostResult(prepared.play().name(), CONTROLLER_HOST, false,
                steps.stream().map(step -> new StepResult(step.task(), step.module(), step.status(),
                        redactor.redact(step.message()), Optional.empty())).toList(),
                error.map(redactor::redact));
        return List.of(report(listener, after));
    }

    /** Second preparation pass for a host, now that the controller's results are known. */
    private HostWork withExports(Play play, HostWork work, Map<String, Object> exports) {
        Map<String, Object> vars = new LinkedHashMap<>(work.vars());
        vars.putAll(exports);
        return work.withTasks(preparer.prepare(play.tasks(), vars, false), preparer.prepare(play.handlers(), vars, true));
    }

    private static StepResult asResult(ControllerTask task, Step step, boolean check) {
        Step.Preview shown = check ? step.preview() : new Step.Preview(step.status(), step.message()); // check: not carried out
        return new StepResult(task.name(), task.module(), shown.status(), shown.message(), Optional.empty());
    }

    private static HostResult report(RunListener listener, HostResult result) {
        listener.hostFinished(result);
        return result;
    }

    private static <T> List<T> all(ExecutorService workers, List<Callable<T>> jobs) {
        List<Future<T>> futures = new ArrayList<>();
        jobs.forEach(job -> futures.add(workers.submit(job)));
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(await(future));
        }
        return results;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConfigException badInput) {
                throw badInput;
            }
            throw new IllegalStateException("a host worker crashed: " + e.getCause(), e.getCause());
        }
    }

}

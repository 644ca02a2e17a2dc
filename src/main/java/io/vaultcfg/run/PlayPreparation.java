package io.vaultcfg.run;

import io.vaultcfg.inventory.ConnectionVars;
import io.vaultcfg.inventory.Host;
import io.vaultcfg.inventory.Inventory;
import io.vaultcfg.module.ControllerModule;
import io.vaultcfg.module.Modules;
import io.vaultcfg.playbook.Play;
import io.vaultcfg.playbook.Task;
import io.vaultcfg.plan.Unknown;
import io.vaultcfg.secret.Redactor;
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
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The preparation pass of one run: for every play and selected host, compose the variables, evaluate
 * {@code when:}, resolve and render every task (local only). Bad input stops here, before any host is
 * contacted. A controller task's results are not known yet: its variables are {@link Unknown} here.
 */
final class PlayPreparation {
    private final Modules modules;
    private final Redactor redactor;
    private final TaskPreparer preparer;
    private final SshConnectionSettings sshSettings;
    private final RunOptions options;
    private final Executor background;

    PlayPreparation(Modules modules, Redactor redactor, TaskPreparer preparer, SshConnectionSettings sshSettings,
                    RunOptions options, Executor background) {
        this.modules = modules;
        this.redactor = redactor;
        this.preparer = preparer;
        this.sshSettings = sshSettings;
        this.options = options;
        this.background = background;
    }

    PlaybookRunner.PreparedPlay prepare(Inventory inventory, Play play) {
        List<Host> hosts = inventory.select(hostPattern(play, options), play.location());
        Set<String> targeted = new HashSet<>(hosts.stream().map(Host::name).toList());
        if (options.limit().isPresent()) {
            targeted.retainAll(inventory.select(options.limit().get(), "--limit").stream().map(Host::name).toList());
        }
        List<Task> controllerTasks = TaskPreparer.controllerTasks(play.tasks(), modules);
        List<ControllerTask> controller = new ArrayList<>();
        Map<String, Object> unknowns = new LinkedHashMap<>();
        List<HostWork> work = new ArrayList<>();
        // more hosts than forks: a host's tasks are validated now and prepared again when it runs, so that memory
        // grows with forks, not with the fleet
        boolean keepPrepared = hosts.size() <= options.forks();
        // a node outside --limit is still read when the play checks Vault nodes: its cluster's health depends on it
        boolean readsEveryNode = play.tasks().stream().anyMatch(task -> task.module().equals("vault_status"));
        for (Host host : hosts) {
            boolean isTarget = targeted.contains(host.name());
            if (!isTarget && controllerTasks.isEmpty() && !readsEveryNode) {
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
                        background.execute(() -> warmUp(prepared));
                        ((ControllerModule) modules.get(task.module())).exports()
                                .forEach(name -> unknowns.put(name, new Unknown(name)));
                    }
                }
            }
            for (ControllerTask task : controller) {
                if (!task.skipped()) {
                    task.action().checkHost(host.name(), vars);
                }
            }
            work.add(hostWork(inventory, host, play, vars, isTarget, unknowns, keepPrepared));
        }
        return new PlaybookRunner.PreparedPlay(play, List.copyOf(controller), List.copyOf(work));
    }

    /** Overlaps the validation of the rest of the input; a failure shows again, and is reported, at the task's read. */
    private static void warmUp(ControllerTask task) {
        try {
            task.action().warmUp();
        } catch (RuntimeException reportedByTheRead) {
            // the read step builds what is missing and fails with the reason
        }
    }

    /**
     * Until the controller has run, its variables are unknown: enough to validate every template now.
     * {@code unknowns} is complete once the play's first host is prepared, and never changes after.
     */
    private HostWork hostWork(Inventory inventory, Host host, Play play, Map<String, Object> vars, boolean targeted,
                              Map<String, Object> unknowns, boolean keepPrepared) {
        ConnectionVars connection = ConnectionVars.parse(host.name(), vars, name -> inventory.locationOf(host.name(), name));
        boolean become = connection.becomeSet() ? connection.become() : play.become().orElse(false);
        Optional<String> becomeUser = become
                ? Optional.of(connection.becomeUserSet() ? connection.becomeUser() : play.becomeUser().orElse("root"))
                : Optional.empty();
        SshTarget target = sshSettings.target(host.name(), connection, options.acceptNewHostKeys(), options.connectTimeout());
        Supplier<Map<String, Object>> varsAgain = keepPrepared ? () -> vars
                : () -> HostVariables.compose(play, host.name(), host.vars(), inventory.magicVariables(host), options.extraVars(),
                        options.check());
        java.util.function.Function<Map<String, Object>, HostWork.Prepared> prepareWith = with ->
                new HostWork.Prepared(preparer.prepare(play.tasks(), with, false), preparer.prepare(play.handlers(), with, true));
        if (unknowns.isEmpty()) {
            return new HostWork(host.name(), target, becomeUser, varsAgain, targeted, prepareWith.apply(vars),
                    keepPrepared ? null : () -> prepareWith.apply(varsAgain.get()), Set.of(), Set.of());
        }
        Map<String, Object> taskVars = new LinkedHashMap<>(vars);
        taskVars.putAll(unknowns);
        TaskPreparer.Prepared tasks = preparer.prepareTracking(play.tasks(), taskVars, false);
        TaskPreparer.Prepared handlers = preparer.prepareTracking(play.handlers(), taskVars, true);
        HostWork.Preparation preparation = () -> {
            Map<String, Object> again = new LinkedHashMap<>(varsAgain.get());
            again.putAll(unknowns);
            return prepareWith.apply(again);
        };
        return new HostWork(host.name(), target, becomeUser, varsAgain, targeted, new HostWork.Prepared(tasks.tasks(), handlers.tasks()),
                keepPrepared ? null : preparation, tasks.awaitingValues(), handlers.awaitingValues());
    }

    /** A play's {@code hosts:} may use play-level variables and -e, as in Ansible. */
    private static String hostPattern(Play play, RunOptions options) {
        Map<String, Object> vars = new LinkedHashMap<>(play.defaults());
        vars.putAll(play.vars());
        vars.putAll(options.extraVars());
        return String.valueOf(Interpolator.resolve(play.hosts(), vars, play.location(), "hosts"));
    }
}

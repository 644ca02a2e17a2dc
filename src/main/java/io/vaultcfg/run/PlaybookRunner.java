package io.vaultcfg.run;

import io.vaultcfg.inventory.Inventory;
import io.vaultcfg.module.Modules;
import io.vaultcfg.playbook.Play;
import io.vaultcfg.playbook.Playbook;
import io.vaultcfg.render.TemplateRenderer;
import io.vaultcfg.secret.Redactor;
import io.vaultcfg.ssh.SshConfigSources;
import io.vaultcfg.ssh.SshConnector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs a playbook against an inventory. Everything that can be wrong in the input is found in the
 * preparation pass, before any host is contacted; then each play runs its hosts through the run's one
 * {@link HostScheduler} ({@code forks} at a time, {@code serial} batches in order).
 *
 * <p>A play with controller tasks (AWS provisioning) runs as the {@link ControllerPhase}'s steps: read
 * every host's facts while the controller reads AWS; plan and apply the controller side once; then plan
 * and apply the hosts with the controller's results, reusing the facts already read.
 */
public final class PlaybookRunner {
    private final Modules modules;
    private final SshConnector connector;
    private final Redactor redactor;
    private final SshConfigSources sshSources;
    private SealMigrationOption sealMigration = SealMigrationOption.OFF;

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

    /** {@code --migrate-seal}: Shamir nodes are migrated to their new seal with these keys (none in check mode). */
    public PlaybookRunner migratingSeal(SealMigrationOption option) {
        this.sealMigration = option;
        return this;
    }

    /** A play with its controller tasks and the work of each of its hosts. */
    public record PreparedPlay(Play play, List<ControllerTask> controller, List<HostWork> hosts) {
        boolean hasController() {
            return controller.stream().anyMatch(task -> !task.skipped());
        }

        /** A controller task of this module runs in the play (its condition is not false). */
        public boolean runsController(String module) {
            return controller.stream().anyMatch(task -> !task.skipped() && task.module().equals(module));
        }
    }

    /** Everything a run needs once the input is validated: the plays, and the scheduler its work will run on. */
    public static final class PreparedRun {
        private final List<PreparedPlay> plays;
        private final TaskPreparer preparer;
        private final HostScheduler scheduler;

        private PreparedRun(List<PreparedPlay> plays, TaskPreparer preparer, HostScheduler scheduler) {
            this.plays = plays;
            this.preparer = preparer;
            this.scheduler = scheduler;
        }

        public List<PreparedPlay> plays() {
            return plays;
        }
    }

    /** Preparation only: validates and renders everything for every host; throws ConfigException on bad input. */
    public PreparedRun prepare(Inventory inventory, Playbook playbook, RunOptions options) {
        return prepare(inventory, playbook, options, plays -> { });
    }

    /** @param check may refuse the prepared plays (throws ConfigException) before anything is contacted */
    public PreparedRun prepare(Inventory inventory, Playbook playbook, RunOptions options,
                               java.util.function.Consumer<List<PreparedPlay>> check) {
        TaskPreparer preparer = new TaskPreparer(modules, new TemplateRenderer(options.templateDirs()), redactor,
                options.tags(), options.skipTags());
        HostScheduler scheduler = new HostScheduler(options.forks());
        List<PreparedPlay> plays = new ArrayList<>();
        try {
            PlayPreparation preparation = new PlayPreparation(modules, redactor, preparer,
                    new SshConnectionSettings(sshSources), options, scheduler.executor());
            for (Play play : playbook.plays()) {
                plays.add(preparation.prepare(inventory, play));
            }
            check.accept(List.copyOf(plays));
        } catch (RuntimeException e) {
            scheduler.close();
            closeControllerTasks(plays);
            throw e;
        }
        return new PreparedRun(List.copyOf(plays), preparer, scheduler);
    }

    public RunResult run(PreparedRun prepared, RunOptions options, RunListener listener) {
        List<RunResult.Outcome> outcomes = new ArrayList<>();
        Set<String> lostHosts = new HashSet<>();
        HostScheduler scheduler = prepared.scheduler;
        long hostCount = prepared.plays.stream().flatMap(play -> play.hosts().stream()).map(HostWork::host).distinct().count();
        try (Sessions sessions = new Sessions(connector, scheduler.executor())) {
            for (PreparedPlay play : prepared.plays) {
                HostExecution execution = new HostExecution(play.play().name(), sessions, options.check(), options.diff(),
                        redactor, hostCount <= scheduler.forks());
                PlayRun run = new PlayRun(play, execution, scheduler, options.check(), redactor, listener, sealMigration);
                List<HostWork> hosts = play.hosts().stream().filter(host -> !lostHosts.contains(host.host())).toList();
                List<HostWork> targets = hosts.stream().filter(HostWork::targeted).toList();
                listener.on(new RunEvent.PlayStarted(play.play().name(), targets.stream().map(HostWork::host).toList(),
                        play.hasController(), options.check()));
                if (play.hasController()) {
                    new ControllerPhase(run, prepared.preparer).run(hosts, Set.copyOf(lostHosts));
                } else if (Rollout.applies(hosts)) {
                    RollingPhase.run(run, hosts);
                } else {
                    scheduler.run(HostOrder.eachHostAlone(batches(play.play(), targets)), work -> {
                        HostResult result = execution.run(work);
                        work.release();
                        run.hostFinished(result);
                        return null;
                    });
                }
                // hosts skipped, lost earlier or left when the play stopped: none of them runs in this play any more
                play.hosts().forEach(HostWork::release);
                outcomes.addAll(run.outcomes());
                lostHosts.addAll(run.lost());
                if (run.controllerFailed()) {
                    break;
                }
            }
        } finally {
            scheduler.close();
            closeControllerTasks(prepared.plays);
        }
        RunResult result = new RunResult(options.check(), List.copyOf(outcomes));
        listener.on(new RunEvent.RunFinished(result));
        return result;
    }

    /** The play's {@code serial} batches of {@code hosts}, in order. */
    static <H> List<List<H>> batches(Play play, List<H> hosts) {
        return play.serial().batches(hosts.size()).stream().map(batch -> batch.stream().map(hosts::get).toList()).toList();
    }

    private static void closeControllerTasks(List<PreparedPlay> plays) {
        plays.stream().flatMap(play -> play.controller().stream()).filter(task -> !task.skipped())
                .forEach(task -> task.action().close());
    }
}

package io.vaultcfg.run;

import io.vaultcfg.inventory.ConnectionVars;
import io.vaultcfg.inventory.Host;
import io.vaultcfg.inventory.Inventory;
import io.vaultcfg.module.Modules;
import io.vaultcfg.playbook.Play;
import io.vaultcfg.playbook.Playbook;
import io.vaultcfg.render.TemplateRenderer;
import io.vaultcfg.secret.Redactor;
import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.ssh.SshTarget;
import io.vaultcfg.vars.Interpolator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a playbook against an inventory. Everything that can be wrong in the input is found in the
 * preparation pass, before any host is contacted; then each play runs its hosts in parallel
 * ({@code forks} at a time, {@code serial} batches in order), one worker per host.
 */
public final class PlaybookRunner {
    private final Modules modules;
    private final SshConnector connector;
    private final Redactor redactor;

    public PlaybookRunner(Modules modules, SshConnector connector, Redactor redactor) {
        this.modules = modules;
        this.connector = connector;
        this.redactor = redactor;
    }

    /** Preparation only: validates and renders everything for every host; throws ConfigException on bad input. */
    public List<PreparedPlay> prepare(Inventory inventory, Playbook playbook, RunOptions options) {
        TemplateRenderer templates = new TemplateRenderer(options.templateDirs());
        TaskPreparer preparer = new TaskPreparer(modules, templates, redactor, options.tags(), options.skipTags());
        List<PreparedPlay> plays = new ArrayList<>();
        for (Play play : playbook.plays()) {
            List<Host> hosts = inventory.select(hostPattern(play, options), play.location());
            if (options.limit().isPresent()) {
                Set<String> limited = new HashSet<>(inventory.select(options.limit().get(), "--limit").stream().map(Host::name).toList());
                hosts = hosts.stream().filter(host -> limited.contains(host.name())).toList();
            }
            List<HostWork> work = new ArrayList<>();
            for (Host host : hosts) {
                Map<String, Object> vars = HostVariables.compose(play, host.name(), host.vars(), inventory.magicVariables(host),
                        options.extraVars(), options.check());
                redactor.addSecretVariables(vars, new LinkedHashSet<>(play.secretVars()));
                ConnectionVars connection = ConnectionVars.parse(host.name(), vars, name -> inventory.locationOf(host.name(), name));
                boolean become = connection.becomeSet() ? connection.become() : play.become().orElse(false);
                Optional<String> becomeUser = become
                        ? Optional.of(connection.becomeUserSet() ? connection.becomeUser() : play.becomeUser().orElse("root"))
                        : Optional.empty();
                SshTarget target = new SshTarget(host.name(), connection.address(), connection.port(), connection.user(),
                        connection.privateKeyFile(), connection.jumpHost(), connection.knownHostsFile(),
                        options.acceptNewHostKeys(), options.connectTimeout());
                work.add(new HostWork(host.name(), target, becomeUser,
                        preparer.prepare(play.tasks(), vars, false),
                        preparer.prepare(play.handlers(), vars, true)));
            }
            plays.add(new PreparedPlay(play, List.copyOf(work)));
        }
        return plays;
    }

    /** A play's {@code hosts:} may use play-level variables and -e, as in Ansible. */
    private static String hostPattern(Play play, RunOptions options) {
        Map<String, Object> vars = new java.util.LinkedHashMap<>(play.defaults());
        vars.putAll(play.vars());
        vars.putAll(options.extraVars());
        return String.valueOf(Interpolator.resolve(play.hosts(), vars, play.location(), "hosts"));
    }

    /** A play with the work of each of its hosts. */
    public record PreparedPlay(Play play, List<HostWork> hosts) {
    }

    public RunResult run(List<PreparedPlay> plays, RunOptions options, RunListener listener) {
        List<HostResult> results = new ArrayList<>();
        Set<String> lostHosts = new HashSet<>();
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, options.forks()), runnable -> {
            Thread thread = new Thread(runnable, "vaultcfg-host");
            thread.setDaemon(true);
            return thread;
        });
        try (Sessions sessions = new Sessions(connector)) {
            for (PreparedPlay prepared : plays) {
                List<HostWork> hosts = prepared.hosts().stream().filter(host -> !lostHosts.contains(host.host())).toList();
                listener.playStarted(prepared.play().name(), hosts.stream().map(HostWork::host).toList(), options.check());
                for (List<Integer> batch : prepared.play().serial().batches(hosts.size())) {
                    List<Future<HostResult>> running = new ArrayList<>();
                    for (int index : batch) {
                        HostExecution execution = new HostExecution(hosts.get(index), prepared.play().name(), sessions,
                                options.check(), options.diff(), redactor);
                        running.add(workers.submit(() -> {
                            HostResult result = execution.run();
                            listener.hostFinished(result);
                            return result;
                        }));
                    }
                    for (Future<HostResult> future : running) {
                        HostResult result = await(future);
                        results.add(result);
                        if (result.unreachable() || result.failed()) {
                            lostHosts.add(result.host());
                        }
                    }
                }
            }
        } finally {
            workers.shutdownNow();
        }
        RunResult result = new RunResult(options.check(), List.copyOf(results));
        listener.runFinished(result);
        return result;
    }

    private static HostResult await(Future<HostResult> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a host worker crashed: " + e.getCause().getClass().getSimpleName(), e.getCause());
        }
    }
}

package io.vaultcfg.run;

import io.vaultcfg.module.VaultNodeProbe;
import io.vaultcfg.plan.PreparedTask;
import io.vaultcfg.ssh.SshTarget;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Everything prepared for one host in one play before any host is contacted. {@code targeted} is
 * false for hosts outside --limit, which are only read (for controller tasks), never changed.
 * {@code tasksAwaitingValues} and {@code handlersAwaitingValues}: the positions of the tasks that read a
 * controller value not known yet; only they are prepared again once it is.
 *
 * <p>The prepared tasks (rendered files, scripts) are the bulk of a host's state. In a play with more hosts
 * than forks they are not kept from the preparation pass (which validated them): they are {@link Preparation
 * prepared again} when the host is read or run, and {@link #unload unloaded} between its steps. Once the host is
 * done in its play they are {@link #release released}. So a run holds prepared tasks only for the hosts being
 * worked on; per host it keeps its connection target, its {@link #probe node probe} and a few flags (its variables
 * are composed again when asked for).
 */
public final class HostWork {
    /** Prepares a host's tasks and handlers again, exactly as the preparation pass did. */
    interface Preparation {
        Prepared prepare();
    }

    /** A host's prepared tasks and handlers. */
    record Prepared(List<PreparedTask> tasks, List<PreparedTask> handlers) {
    }

    private final String host;
    private final SshTarget target;
    private final Optional<String> becomeUser;
    private final Supplier<Map<String, Object>> vars;
    private final boolean targeted;
    private final Set<Integer> tasksAwaitingValues;
    private final Set<Integer> handlersAwaitingValues;
    private final Optional<VaultNodeProbe> probe;
    /** Null when the tasks are prepared once and held until the host is done. */
    private final Preparation preparation;
    private Prepared held;
    private boolean done;

    public HostWork(String host, SshTarget target, Optional<String> becomeUser, Map<String, Object> vars,
                    boolean targeted, List<PreparedTask> tasks, List<PreparedTask> handlers,
                    Set<Integer> tasksAwaitingValues, Set<Integer> handlersAwaitingValues) {
        this(host, target, becomeUser, () -> vars, targeted, new Prepared(tasks, handlers), null, tasksAwaitingValues,
                handlersAwaitingValues);
    }

    /**
     * A host whose tasks were validated and dropped: {@code preparation} prepares them whenever they are asked for;
     * {@code vars} may compose the host's variables again on each call rather than hold them.
     */
    HostWork(String host, SshTarget target, Optional<String> becomeUser, Supplier<Map<String, Object>> vars, boolean targeted,
             Prepared validated, Preparation preparation, Set<Integer> tasksAwaitingValues, Set<Integer> handlersAwaitingValues) {
        this.host = host;
        this.target = target;
        this.becomeUser = becomeUser;
        this.vars = vars;
        this.targeted = targeted;
        this.tasksAwaitingValues = tasksAwaitingValues;
        this.handlersAwaitingValues = handlersAwaitingValues;
        this.probe = probe(validated.tasks());
        this.preparation = preparation;
        this.held = preparation == null ? validated : null;
    }

    HostWork withTasks(List<PreparedTask> newTasks, List<PreparedTask> newHandlers) {
        return new HostWork(host, target, becomeUser, vars.get(), targeted, newTasks, newHandlers, Set.of(), Set.of());
    }

    /** The task of a host that checks its Vault node, if any: kept while the tasks are not. */
    private static Optional<VaultNodeProbe> probe(List<PreparedTask> tasks) {
        return tasks.stream().filter(task -> !task.skipped()).map(PreparedTask::action)
                .filter(VaultNodeProbe.class::isInstance).map(VaultNodeProbe.class::cast).findFirst();
    }

    /** The host is done in this play: its prepared tasks are no longer needed and may be collected. */
    synchronized void release() {
        done = true;
        held = null;
    }

    synchronized boolean released() {
        return done;
    }

    /** Between two steps of the host: its tasks are dropped if they can be prepared again when next asked for. */
    synchronized void unload() {
        if (preparation != null) {
            held = null;
        }
    }

    /** Whether this host's prepared tasks are in memory now. */
    synchronized boolean holdsPrepared() {
        return held != null;
    }

    public List<PreparedTask> tasks() {
        return prepared().tasks();
    }

    public List<PreparedTask> handlers() {
        return prepared().handlers();
    }

    private synchronized Prepared prepared() {
        if (done) {
            throw new IllegalStateException(host + "'s prepared tasks were released when it was done in its play");
        }
        if (held == null) {
            held = preparation.prepare();
        }
        return held;
    }

    /** The host's {@code vault_status} task, as the preparation pass made it (controller values still unknown). */
    Optional<VaultNodeProbe> probe() {
        return probe;
    }

    public String host() {
        return host;
    }

    public SshTarget target() {
        return target;
    }

    public Optional<String> becomeUser() {
        return becomeUser;
    }

    public Map<String, Object> vars() {
        return vars.get();
    }

    public boolean targeted() {
        return targeted;
    }

    public Set<Integer> tasksAwaitingValues() {
        return tasksAwaitingValues;
    }

    public Set<Integer> handlersAwaitingValues() {
        return handlersAwaitingValues;
    }
}

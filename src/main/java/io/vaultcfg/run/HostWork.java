package io.vaultcfg.run;

import io.vaultcfg.plan.PreparedTask;
import io.vaultcfg.ssh.SshTarget;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything prepared for one host in one play before any host is contacted. {@code targeted} is
 * false for hosts outside --limit, which are only read (for controller tasks), never changed.
 * {@code tasksAwaitingValues} and {@code handlersAwaitingValues}: the positions of the tasks that read a
 * controller value not known yet; only they are prepared again once it is.
 *
 * <p>The prepared tasks (rendered files, scripts) are the bulk of a host's state: once the host is done in
 * its play they are {@link #release released}, so a run holds them only for the hosts still to come and
 * the ones being worked on, not for every host it has finished.
 */
public final class HostWork {
    private final String host;
    private final SshTarget target;
    private final Optional<String> becomeUser;
    private final Map<String, Object> vars;
    private final boolean targeted;
    private final Set<Integer> tasksAwaitingValues;
    private final Set<Integer> handlersAwaitingValues;
    private volatile List<PreparedTask> tasks;
    private volatile List<PreparedTask> handlers;

    public HostWork(String host, SshTarget target, Optional<String> becomeUser, Map<String, Object> vars,
                    boolean targeted, List<PreparedTask> tasks, List<PreparedTask> handlers,
                    Set<Integer> tasksAwaitingValues, Set<Integer> handlersAwaitingValues) {
        this.host = host;
        this.target = target;
        this.becomeUser = becomeUser;
        this.vars = vars;
        this.targeted = targeted;
        this.tasks = tasks;
        this.handlers = handlers;
        this.tasksAwaitingValues = tasksAwaitingValues;
        this.handlersAwaitingValues = handlersAwaitingValues;
    }

    HostWork withTasks(List<PreparedTask> newTasks, List<PreparedTask> newHandlers) {
        return new HostWork(host, target, becomeUser, vars, targeted, newTasks, newHandlers, Set.of(), Set.of());
    }

    /** The host is done in this play: its prepared tasks are no longer needed and may be collected. */
    void release() {
        tasks = null;
        handlers = null;
    }

    boolean released() {
        return tasks == null;
    }

    public List<PreparedTask> tasks() {
        return prepared(tasks);
    }

    public List<PreparedTask> handlers() {
        return prepared(handlers);
    }

    private List<PreparedTask> prepared(List<PreparedTask> list) {
        if (list == null) {
            throw new IllegalStateException(host + "'s prepared tasks were released when it was done in its play");
        }
        return list;
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
        return vars;
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

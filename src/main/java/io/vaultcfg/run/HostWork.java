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
 */
public record HostWork(String host, SshTarget target, Optional<String> becomeUser, Map<String, Object> vars,
                       boolean targeted, List<PreparedTask> tasks, List<PreparedTask> handlers,
                       Set<Integer> tasksAwaitingValues, Set<Integer> handlersAwaitingValues) {

    HostWork withTasks(List<PreparedTask> newTasks, List<PreparedTask> newHandlers) {
        return new HostWork(host, target, becomeUser, vars, targeted, newTasks, newHandlers, Set.of(), Set.of());
    }
}

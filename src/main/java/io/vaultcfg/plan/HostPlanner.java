package io.vaultcfg.plan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Computes a host's plan from its prepared tasks and facts. Handlers notified by a changed step run
 * once, in the order they are defined, at {@code meta: flush_handlers} and at the end of the play.
 * The plan does not depend on whether it is then applied or only checked: check mode shows the very plan
 * apply would carry out.
 */
public final class HostPlanner {
    private HostPlanner() {
    }

    public static List<Fact<?>> factsNeeded(List<PreparedTask> tasks, List<PreparedTask> handlers) {
        Set<Fact<?>> queries = new LinkedHashSet<>();
        for (PreparedTask task : tasks) {
            if (!task.skipped()) {
                queries.addAll(task.action().facts());
            }
        }
        for (PreparedTask handler : handlers) {
            queries.addAll(handler.action().facts());
        }
        return List.copyOf(queries);
    }

    public static HostPlan plan(String host, List<PreparedTask> tasks, List<PreparedTask> handlers, HostFacts facts) {
        List<Step> steps = new ArrayList<>();
        Set<String> notified = new LinkedHashSet<>();
        boolean restartPending = false;
        for (PreparedTask task : tasks) {
            if (task.skipped()) {
                steps.add(Step.skipped(task.skipReason()).named(task.name(), task.module(), List.of()));
                continue;
            }
            if (task.action() == Action.FLUSH_HANDLERS) {
                restartPending |= flush(handlers, notified, facts, restartPending, steps);
                continue;
            }
            Step step = task.action().plan(new PlanContext(facts, restartPending))
                    .named(task.name(), task.module(), task.notifies());
            steps.add(task.noLog() ? step.withoutDiff() : step);
            restartPending |= step.restarts() && step.status() == StepStatus.CHANGED;
            if (step.status() == StepStatus.CHANGED && !step.quiet()) {
                notified.addAll(task.notifies());
            }
        }
        flush(handlers, notified, facts, restartPending, steps);
        return new HostPlan(host, List.copyOf(steps));
    }

    private static boolean flush(List<PreparedTask> handlers, Set<String> notified, HostFacts facts,
                                 boolean restartPending, List<Step> steps) {
        boolean restarts = false;
        for (PreparedTask handler : handlers) {
            boolean called = notified.contains(handler.name()) || handler.listen().stream().anyMatch(notified::contains);
            if (!called || handler.skipped()) {
                continue;
            }
            Step step = handler.action().plan(new PlanContext(facts, restartPending || restarts))
                    .named(handler.name(), handler.module(), List.of());
            steps.add(handler.noLog() ? step.withoutDiff() : step);
            restarts |= step.restarts() && step.status() == StepStatus.CHANGED;
        }
        notified.clear();
        return restarts;
    }
}

package io.vaultcfg.run;

import io.vaultcfg.config.ConfigException;
import io.vaultcfg.module.ControllerModule;
import io.vaultcfg.module.Module;
import io.vaultcfg.module.Modules;
import io.vaultcfg.module.TaskInput;
import io.vaultcfg.playbook.Task;
import io.vaultcfg.playbook.WhenExpression;
import io.vaultcfg.plan.PreparedTask;
import io.vaultcfg.render.TemplateRenderer;
import io.vaultcfg.secret.Redactor;
import io.vaultcfg.vars.Interpolator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a play's tasks into actions for one host: conditions, tags, {{ vars }}, rendering. Local only. */
final class TaskPreparer {
    private final Modules modules;
    private final TemplateRenderer templates;
    private final Redactor redactor;
    private final Set<String> tags;
    private final Set<String> skipTags;

    TaskPreparer(Modules modules, TemplateRenderer templates, Redactor redactor, Set<String> tags, Set<String> skipTags) {
        this.modules = modules;
        this.templates = templates;
        this.redactor = redactor;
        this.tags = tags;
        this.skipTags = skipTags;
    }

    List<PreparedTask> prepare(List<Task> tasks, Map<String, Object> vars, boolean handlers) {
        List<PreparedTask> prepared = new ArrayList<>();
        for (Task task : selected(tasks, handlers)) {
            prepared.add(prepare(task, vars));
        }
        return prepared;
    }

    /** Tasks prepared with some values unknown, and the positions of those that read one. */
    record Prepared(List<PreparedTask> tasks, Set<Integer> awaitingValues) {
    }

    Prepared prepareTracking(List<Task> tasks, Map<String, Object> vars, boolean handlers) {
        List<PreparedTask> prepared = new ArrayList<>();
        Set<Integer> awaiting = new java.util.HashSet<>();
        for (Task task : selected(tasks, handlers)) {
            UnknownReads tracked = new UnknownReads(vars);
            prepared.add(prepare(task, tracked));
            if (tracked.read()) {
                awaiting.add(prepared.size() - 1);
            }
        }
        return new Prepared(prepared, Set.copyOf(awaiting));
    }

    /** Prepares again, with the values now known, only the tasks that read an unknown one; the others are kept. */
    List<PreparedTask> completed(List<Task> tasks, Map<String, Object> vars, boolean handlers, List<PreparedTask> earlier,
                                 Set<Integer> awaitingValues) {
        List<Task> selected = selected(tasks, handlers);
        List<PreparedTask> prepared = new ArrayList<>(earlier);
        for (int index : awaitingValues) {
            prepared.set(index, prepare(selected.get(index), vars));
        }
        return prepared;
    }

    private List<Task> selected(List<Task> tasks, boolean handlers) {
        List<Task> selected = new ArrayList<>();
        for (Task task : tasks) {
            if (modules.get(task.module()) instanceof ControllerModule) {
                continue;
            }
            if (!handlers && !selectedByTags(task)) {
                continue;
            }
            selected.add(task);
        }
        return selected;
    }

    /** Tasks of controller modules come first in a play; they run once, before the host tasks. */
    static List<Task> controllerTasks(List<Task> tasks, Modules modules) {
        List<Task> controller = new ArrayList<>();
        boolean hostTaskSeen = false;
        for (Task task : tasks) {
            boolean onController = modules.get(task.module()) instanceof ControllerModule;
            if (onController && hostTaskSeen) {
                throw new ConfigException(task.location(), task.module(),
                        "controller tasks (like " + task.module() + ") must come before the host tasks of a play");
            }
            if (onController) {
                controller.add(task);
            } else {
                hostTaskSeen = true;
            }
        }
        return controller;
    }

    ControllerTask prepareController(Task task, Map<String, Object> vars) {
        if (task.when().isPresent() && !conditionHolds(task, vars)) {
            return new ControllerTask(task.name(), task.module(), null, "condition is false: " + task.when().get());
        }
        ControllerModule module = (ControllerModule) modules.get(task.module());
        return new ControllerTask(task.name(), task.module(), module.prepareController(input(task, vars)), null);
    }

    private TaskInput input(Task task, Map<String, Object> vars) {
        Map<String, Object> args = new LinkedHashMap<>();
        task.args().forEach((name, raw) -> args.put(name, Interpolator.resolve(raw, vars, task.argLocation(name), name)));
        return new TaskInput(task, Collections.unmodifiableMap(args), vars, templates, redactor);
    }

    private PreparedTask prepare(Task task, Map<String, Object> vars) {
        if (task.when().isPresent() && !conditionHolds(task, vars)) {
            return new PreparedTask(task.name(), task.module(), null, task.notifies(), task.listen(), task.noLog(),
                    "condition is false: " + task.when().get());
        }
        Module module = modules.get(task.module());
        return new PreparedTask(task.name(), task.module(), module.prepare(input(task, vars)), task.notifies(), task.listen(),
                task.noLog(), null);
    }

    private boolean conditionHolds(Task task, Map<String, Object> vars) {
        try {
            return WhenExpression.evaluate(task.when().get(), vars);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(task.location(), "when", e.getMessage());
        }
    }

    private boolean selectedByTags(Task task) {
        if (task.tags().contains("always")) {
            return !skipTags.contains("always");
        }
        if (!tags.isEmpty() && Collections.disjoint(task.tags(), tags)) {
            return false;
        }
        return Collections.disjoint(task.tags(), skipTags);
    }
}

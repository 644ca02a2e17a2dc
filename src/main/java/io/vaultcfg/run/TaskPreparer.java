package io.vaultcfg.run;

import io.vaultcfg.config.ConfigException;
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
        for (Task task : tasks) {
            if (!handlers && !selectedByTags(task)) {
                continue;
            }
            prepared.add(prepare(task, vars));
        }
        return prepared;
    }

    private PreparedTask prepare(Task task, Map<String, Object> vars) {
        if (task.when().isPresent() && !conditionHolds(task, vars)) {
            return new PreparedTask(task.name(), task.module(), null, task.notifies(), task.listen(), task.noLog(),
                    "condition is false: " + task.when().get());
        }
        Map<String, Object> args = new LinkedHashMap<>();
        task.args().forEach((name, raw) -> args.put(name, Interpolator.resolve(raw, vars, task.argLocation(name), name)));
        Module module = modules.get(task.module());
        TaskInput input = new TaskInput(task, Collections.unmodifiableMap(args), vars, templates, redactor);
        return new PreparedTask(task.name(), task.module(), module.prepare(input), task.notifies(), task.listen(),
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

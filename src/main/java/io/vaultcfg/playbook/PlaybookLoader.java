package io.vaultcfg.playbook;

import io.vaultcfg.config.ConfigException;
import io.vaultcfg.config.DidYouMean;
import io.vaultcfg.config.YamlDocument;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Reads a playbook (a YAML list of plays), validating every key before anything runs. */
public final class PlaybookLoader {
    public static final String BUILTIN_PREFIX = "builtin:";
    private static final Set<String> PLAY_KEYS = Set.of(
            "name", "hosts", "vars", "defaults", "secret_vars", "tasks", "handlers", "serial", "become", "become_user",
            "gather_facts", "max_fail_percentage");
    private static final Set<String> TASK_KEYWORDS = Set.of(
            "name", "notify", "listen", "tags", "when", "changed_when", "no_log");
    private static final String ANSIBLE_PREFIX = "ansible.builtin.";

    private final ModuleCatalog modules;

    public PlaybookLoader(ModuleCatalog modules) {
        this.modules = modules;
    }

    public Playbook load(Path file) {
        return read(YamlDocument.load(file, "playbook"), file.toString());
    }

    /** Loads a playbook shipped inside the jar, e.g. {@code playbooks/auto-unseal.yml}. */
    public Playbook loadBuiltin(String resource) {
        InputStream stream = PlaybookLoader.class.getClassLoader().getResourceAsStream(resource);
        String source = BUILTIN_PREFIX + resource;
        if (stream == null) {
            throw new ConfigException(source, null, "built-in playbook not found");
        }
        try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
            return read(YamlDocument.parse(Path.of(source), reader), source);
        } catch (java.io.IOException e) {
            throw new ConfigException(source, null, "cannot read built-in playbook: " + e.getMessage());
        }
    }

    private Playbook read(YamlDocument doc, String source) {
        List<Node> playNodes = doc.sequence(doc.root(), null);
        if (playNodes.isEmpty()) {
            throw doc.error(doc.root(), null, "a playbook is a list of plays; this one has none");
        }
        List<Play> plays = new ArrayList<>();
        for (Node playNode : playNodes) {
            plays.add(readPlay(doc, playNode));
        }
        return new Playbook(source, List.copyOf(plays));
    }

    private Play readPlay(YamlDocument doc, Node node) {
        Map<String, Node> keys = doc.mapping(node, "play");
        if (keys.containsKey("import_playbook") || keys.containsKey("roles")) {
            String key = keys.containsKey("roles") ? "roles" : "import_playbook";
            throw doc.error(keys.get(key), key, "not supported by vaultcfg; put the tasks in the play");
        }
        doc.requireKnownKeys(keys, new TreeSet<>(PLAY_KEYS), "play key");
        if (!keys.containsKey("hosts")) {
            throw doc.error(node, "hosts", "every play needs 'hosts' (a host pattern such as 'all' or a group name)");
        }
        String name = keys.containsKey("name") ? doc.string(keys.get("name"), "name") : "unnamed play";
        List<Task> tasks = readTasks(doc, keys.get("tasks"), "tasks");
        List<Task> handlers = readTasks(doc, keys.get("handlers"), "handlers");
        checkNotifyTargets(doc, tasks, handlers);
        return new Play(
                name,
                doc.string(keys.get("hosts"), "hosts"),
                variables(doc, keys.get("defaults"), "defaults"),
                variables(doc, keys.get("vars"), "vars"),
                keys.containsKey("secret_vars") ? doc.stringList(keys.get("secret_vars"), "secret_vars") : List.of(),
                optionalBool(doc, keys.get("become"), "become"),
                Optional.ofNullable(keys.get("become_user")).map(n -> doc.string(n, "become_user")),
                serial(doc, keys.get("serial")),
                maxFailPercentage(doc, keys.get("max_fail_percentage")),
                tasks,
                handlers,
                doc.file() + ":" + doc.line(node));
    }

    private Map<String, Object> variables(YamlDocument doc, Node node, String field) {
        Map<String, Object> vars = new LinkedHashMap<>();
        doc.mapping(node, field).forEach((key, value) -> vars.put(key, doc.plain(value, key)));
        return vars;
    }

    private static Optional<Integer> maxFailPercentage(YamlDocument doc, Node node) {
        if (node == null) {
            return Optional.empty();
        }
        int percent = doc.integer(node, "max_fail_percentage");
        if (percent < 0 || percent > 100) {
            throw doc.error(node, "max_fail_percentage", "expected a percentage from 0 to 100");
        }
        return Optional.of(percent);
    }

    private Serial serial(YamlDocument doc, Node node) {
        if (node == null) {
            return Serial.ALL;
        }
        List<String> sizes = new ArrayList<>();
        for (String size : doc.stringList(node, "serial")) {
            if (!size.matches("\\d+%?") || size.matches("0+%?")) {
                throw doc.error(node, "serial", "expected a positive count or percentage such as 1, 5 or \"20%\"");
            }
            sizes.add(size);
        }
        return new Serial(List.copyOf(sizes));
    }

    private List<Task> readTasks(YamlDocument doc, Node node, String field) {
        List<Task> tasks = new ArrayList<>();
        for (Node taskNode : doc.sequence(node, field)) {
            tasks.add(readTask(doc, taskNode));
        }
        return List.copyOf(tasks);
    }

    private Task readTask(YamlDocument doc, Node node) {
        Map<String, Node> keys = doc.mapping(node, "task");
        String module = null;
        for (String key : keys.keySet()) {
            if (TASK_KEYWORDS.contains(key)) {
                continue;
            }
            String candidate = key.startsWith(ANSIBLE_PREFIX) ? key.substring(ANSIBLE_PREFIX.length()) : key;
            if (!modules.moduleNames().contains(candidate)) {
                Set<String> known = new TreeSet<>(modules.moduleNames());
                known.addAll(TASK_KEYWORDS);
                throw doc.error(keys.get(key), key, DidYouMean.unknown("module or task keyword", key, known));
            }
            if (module != null) {
                throw doc.error(keys.get(key), key, "a task runs one module; this one also names '" + module + "'");
            }
            module = candidate;
        }
        if (module == null) {
            throw doc.error(node, null, "task names no module (one of " + new TreeSet<>(modules.moduleNames()) + ")");
        }
        String moduleKey = keys.containsKey(module) ? module : ANSIBLE_PREFIX + module;
        Node argsNode = keys.get(moduleKey);
        Map<String, Object> args = new LinkedHashMap<>();
        Map<String, String> argLocations = new LinkedHashMap<>();
        if (argsNode instanceof ScalarNode && !doc.isNull(argsNode)) {
            // "meta: flush_handlers" is the one free-form argument we accept.
            args.put("_value", doc.string(argsNode, module));
            argLocations.put("_value", doc.file() + ":" + doc.line(argsNode));
        } else {
            Map<String, Node> argNodes = doc.mapping(argsNode, module);
            doc.requireKnownKeys(argNodes, new TreeSet<>(modules.argumentsOf(module)), module + " argument");
            argNodes.forEach((key, value) -> {
                args.put(key, doc.plain(value, key));
                argLocations.put(key, doc.file() + ":" + doc.line(value));
            });
            Node mode = argNodes.get("mode");
            if (mode != null && doc.plain(mode, "mode") instanceof Number) {
                throw doc.error(mode, "mode", "write file modes as quoted octal text, e.g. mode: \"0600\" "
                        + "(unquoted, YAML reads 0600 as the decimal number 384)");
            }
        }
        String name = keys.containsKey("name") ? doc.string(keys.get("name"), "name") : module;
        return new Task(
                name,
                module,
                args,
                argLocations,
                keys.containsKey("notify") ? doc.stringList(keys.get("notify"), "notify") : List.of(),
                keys.containsKey("listen") ? doc.stringList(keys.get("listen"), "listen") : List.of(),
                keys.containsKey("tags") ? new LinkedHashSet<>(doc.stringList(keys.get("tags"), "tags")) : Set.of(),
                Optional.ofNullable(keys.get("when")).map(n -> whenText(doc, n)),
                optionalBool(doc, keys.get("changed_when"), "changed_when"),
                keys.containsKey("no_log") && doc.bool(keys.get("no_log"), "no_log"),
                doc.file() + ":" + doc.line(node));
    }

    private String whenText(YamlDocument doc, Node node) {
        Object value = doc.plain(node, "when");
        if (value instanceof Boolean || value instanceof String) {
            String text = String.valueOf(value);
            try {
                WhenExpression.parse(text);
            } catch (IllegalArgumentException e) {
                throw doc.error(node, "when", e.getMessage());
            }
            return text;
        }
        throw doc.error(node, "when", "expected a condition such as \"vault_seal_enabled\" or \"env == 'prod'\"");
    }

    private Optional<Boolean> optionalBool(YamlDocument doc, Node node, String field) {
        return node == null ? Optional.empty() : Optional.of(doc.bool(node, field));
    }

    private void checkNotifyTargets(YamlDocument doc, List<Task> tasks, List<Task> handlers) {
        Set<String> targets = new LinkedHashSet<>();
        for (Task handler : handlers) {
            targets.add(handler.name());
            targets.addAll(handler.listen());
        }
        for (Task task : tasks) {
            for (String notified : task.notifies()) {
                if (!targets.contains(notified)) {
                    throw new ConfigException(task.location(), "notify",
                            DidYouMean.unknown("handler", notified, targets));
                }
            }
        }
    }
}

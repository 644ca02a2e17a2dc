package io.vaultcfg.inventory;

import io.vaultcfg.config.ConfigException;
import io.vaultcfg.config.YamlDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads an Ansible YAML inventory: {@code all:}/groups with {@code hosts:}, {@code children:},
 * {@code vars:}; host ranges; Ansible's variable precedence. What lies outside that subset is
 * rejected with the file and line, never ignored.
 */
public final class InventoryLoader {
    private static final Set<String> GROUP_KEYS = new TreeSet<>(Set.of("hosts", "children", "vars"));
    private static final String ALL = "all";
    private static final String UNGROUPED = "ungrouped";
    private static final String GROUP_PRIORITY = "ansible_group_priority";

    private final YamlDocument doc;
    private final List<VarsDirectory> varsDirectories = new ArrayList<>(); // inventory's, then playbook's
    private final Map<String, Map<String, Located>> groupVars = new LinkedHashMap<>();
    private final Map<String, Set<String>> children = new LinkedHashMap<>();
    private final Map<String, Set<String>> directHosts = new LinkedHashMap<>();
    private final Map<String, Map<String, Located>> hostVars = new LinkedHashMap<>();
    private final Set<String> parseOrder = new LinkedHashSet<>();

    /** A value and where it was written. */
    record Located(Object value, String location) {
    }

    private InventoryLoader(YamlDocument doc) {
        this.doc = doc;
    }

    public static Inventory load(Path file) {
        return load(file, null);
    }

    /**
     * Reads the inventory with the {@code group_vars/} and {@code host_vars/} beside it and, when
     * {@code playbookDir} is given, those beside the playbook, in Ansible's precedence.
     */
    public static Inventory load(Path file, Path playbookDir) {
        rejectNonYaml(file);
        YamlDocument doc = YamlDocument.load(file, "inventory");
        if (doc.isNull(doc.root())) {
            throw new ConfigException(file, 0, null, "the inventory is empty; it needs at least one host under all:");
        }
        InventoryLoader loader = new InventoryLoader(doc);
        loader.addVarsDirectory(file.toAbsolutePath().getParent());
        if (playbookDir != null) {
            loader.addVarsDirectory(playbookDir.toAbsolutePath());
        }
        loader.readTop();
        return loader.build();
    }

    private static void rejectNonYaml(Path file) {
        String name = file.getFileName().toString();
        if (!Files.exists(file)) {
            throw new ConfigException(file, 0, null, "inventory file not found");
        }
        if (name.endsWith(".py") || name.endsWith(".sh") || Files.isExecutable(file) && !Files.isDirectory(file)
                && startsWithShebang(file)) {
            throw new ConfigException(file, 1, null, "dynamic inventory scripts are not supported; export a static one with "
                    + "`ansible-inventory -i " + name + " --list --yaml > inventory.yml`");
        }
        if (startsWithShebang(file)) {
            throw new ConfigException(file, 1, null, "this looks like a dynamic inventory script (#!); export a static one with "
                    + "`ansible-inventory -i " + name + " --list --yaml > inventory.yml`");
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                    continue;
                }
                if (line.matches("\\[[^\\]:]+(:(vars|children))?]")) {
                    throw new ConfigException(file, i + 1, null, "INI inventories are not supported; convert it with "
                            + "`ansible-inventory -i " + name + " --list --yaml > inventory.yml`");
                }
                break;
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new ConfigException(file, 0, null, "the inventory is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(file, 0, null, "cannot read inventory file: " + e.getMessage());
        }
    }

    private void addVarsDirectory(Path base) {
        VarsDirectory vars = base == null ? null : VarsDirectory.beside(base);
        if (vars != null) {
            varsDirectories.add(vars);
        }
    }

    private static boolean startsWithShebang(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && head[0] == '#' && head[1] == '!';
        } catch (IOException e) {
            return false;
        }
    }

    private void readTop() {
        requireTextNames(doc.root(), "group");
        Map<String, Node> top = doc.mapping(doc.root(), null);
        groupVars.put(ALL, new LinkedHashMap<>());
        children.put(ALL, new LinkedHashSet<>());
        directHosts.put(ALL, new LinkedHashSet<>());
        for (Map.Entry<String, Node> entry : top.entrySet()) {
            String group = entry.getKey();
            readGroup(group, entry.getValue());
            if (!group.equals(ALL)) {
                children.get(ALL).add(group);
            }
        }
    }

    private void readGroup(String group, Node node) {
        checkName(group, node, "group");
        Map<String, Node> keys = doc.mapping(node, group);
        doc.requireKnownKeys(keys, GROUP_KEYS, "key in group '" + group + "'");
        groupVars.computeIfAbsent(group, g -> new LinkedHashMap<>());
        children.computeIfAbsent(group, g -> new LinkedHashSet<>());
        directHosts.computeIfAbsent(group, g -> new LinkedHashSet<>());
        for (String section : keys.keySet()) { // in file order, as Ansible reads them: it decides host order
            switch (section) {
                case "vars" -> readVars(keys.get("vars"), groupVars.get(group), "vars");
                case "hosts" -> readHosts(group, keys.get("hosts"));
                default -> readChildren(group, keys.get("children"));
            }
        }
    }

    private void readHosts(String group, Node hostsNode) {
        requireTextNames(hostsNode, "host");
        for (Map.Entry<String, Node> host : doc.mapping(hostsNode, "hosts").entrySet()) {
            AnsibleAddress.Parsed address = AnsibleAddress.parse(host.getKey());
            String pattern = address == null ? host.getKey() : address.host();
            List<String> names;
            try {
                names = HostRange.expand(pattern);
            } catch (IllegalArgumentException e) {
                throw doc.error(host.getValue(), host.getKey(), "bad host range: " + e.getMessage());
            }
            Map<String, Located> vars = new LinkedHashMap<>(); // read once, shared by every host of a range
            if (address != null && address.port() >= 0) {
                vars.put("ansible_port", new Located((long) address.port(), doc.file() + ":" + doc.line(host.getValue())));
            }
            readVars(host.getValue(), vars, host.getKey());
            for (String name : names) {
                directHosts.get(group).add(name);
                parseOrder.add(name);
                mergeHostVars(name, vars);
            }
        }
    }

    private void readChildren(String group, Node childrenNode) {
        requireTextNames(childrenNode, "group");
        for (Map.Entry<String, Node> child : doc.mapping(childrenNode, "children").entrySet()) {
            if (child.getKey().equals(ALL)) {
                throw doc.error(child.getValue(), child.getKey(), "'all' cannot be a child group");
            }
            children.get(group).add(child.getKey());
            readGroup(child.getKey(), child.getValue());
        }
    }

    /** Ansible refuses a host or group name that YAML reads as a number, boolean or null (1234:, yes:). */
    private void requireTextNames(Node node, String what) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple entry : mapping.getValue()) {
                if (entry.getKeyNode() instanceof ScalarNode key && !key.getTag().equals(Tag.STR)) {
                    throw doc.error(key, key.getValue(), what + " names must be text, not " + doc.describe(key)
                            + "; quote it ('" + key.getValue() + "'), as Ansible requires");
                }
            }
        }
    }

    private void checkName(String name, Node node, String what) {
        if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw doc.error(node, name, what + " names cannot contain spaces");
        }
    }

    private void readVars(Node node, Map<String, Located> into, String field) {
        readVars(doc, node, into, field);
    }

    /** The variables of one mapping, literal values only; a later value replaces an earlier one in {@code into}. */
    static void readVars(YamlDocument doc, Node node, Map<String, Located> into, String field) {
        for (Map.Entry<String, Node> var : doc.mapping(node, field).entrySet()) {
            Object value = doc.plain(var.getValue(), var.getKey());
            String location = doc.file() + ":" + doc.line(var.getValue());
            rejectTemplates(value, location, var.getKey());
            into.put(var.getKey(), new Located(value, location));
        }
    }

    private static void rejectTemplates(Object value, String location, String field) {
        if (value instanceof String text && (text.contains("{{") || text.contains("{%"))) {
            throw new ConfigException(location, field, "Jinja expressions are not evaluated in vaultcfg inventories; "
                    + "give a literal value, or set it with -e / VAULTCFG_VAR_" + field);
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> rejectTemplates(v, location, field));
        }
        if (value instanceof List<?> list) {
            list.forEach(v -> rejectTemplates(v, location, field));
        }
    }

    /** A host listed in several places merges its vars; the same var with two values is a conflict. */
    private void mergeHostVars(String host, Map<String, Located> vars) {
        Map<String, Located> existing = hostVars.computeIfAbsent(host, h -> new LinkedHashMap<>());
        for (Map.Entry<String, Located> var : vars.entrySet()) {
            Located before = existing.get(var.getKey());
            if (before != null && !java.util.Objects.equals(before.value(), var.getValue().value())) {
                throw new ConfigException(var.getValue().location(), var.getKey(), "host '" + host
                        + "' is defined again with a different value than at " + before.location());
            }
            existing.put(var.getKey(), var.getValue());
        }
    }

    private Inventory build() {
        Map<String, Integer> depth = new HashMap<>();
        assignDepth(ALL, 0, depth, new LinkedHashSet<>());
        Set<String> ordered = new LinkedHashSet<>();
        collectHostsInOrder(ALL, ordered, new LinkedHashSet<>());
        List<String> order = List.copyOf(ordered);
        Set<String> grouped = new LinkedHashSet<>();
        for (Map.Entry<String, Set<String>> entry : directHosts.entrySet()) {
            if (!entry.getKey().equals(ALL) && !entry.getKey().equals(UNGROUPED)) {
                grouped.addAll(entry.getValue());
            }
        }
        Map<String, Set<String>> membership = new LinkedHashMap<>();
        for (String host : order) {
            membership.put(host, new TreeSet<>());
        }
        for (String group : directHosts.keySet()) {
            for (String host : directHosts.get(group)) {
                addWithAncestors(host, group, membership.get(host));
            }
        }
        List<Host> hosts = new ArrayList<>();
        Map<String, Map<String, String>> locations = new LinkedHashMap<>();
        for (String name : order) {
            Set<String> groups = membership.get(name);
            groups.add(ALL);
            groups.remove(UNGROUPED); // Ansible keeps a host in ungrouped only while it has no other group
            if (!grouped.contains(name)) {
                groups.add(UNGROUPED);
                depth.putIfAbsent(UNGROUPED, 1);
            }
            List<String> byPrecedence = new ArrayList<>(groups);
            byPrecedence.sort(Comparator.<String>comparingInt(g -> depth.getOrDefault(g, 1))
                    .thenComparingInt(this::priority).thenComparing(Comparator.naturalOrder()));
            Map<String, Object> vars = new LinkedHashMap<>();
            Map<String, String> where = new LinkedHashMap<>();
            for (String group : byPrecedence) {
                groupVars.getOrDefault(group, Map.of()).forEach((k, v) -> {
                    if (!k.equals(GROUP_PRIORITY)) { // consumed: it orders groups, it is not a host variable
                        put(vars, where, k, v);
                    }
                });
            }
            // Ansible's order: inventory group_vars/all < playbook group_vars/all < inventory group_vars/<group>
            // < playbook group_vars/<group> (groups by precedence) < inventory file host vars < host_vars/
            varsDirectories.forEach(dir -> dir.group(ALL).forEach((k, v) -> put(vars, where, k, v)));
            for (VarsDirectory dir : varsDirectories) {
                byPrecedence.stream().filter(g -> !g.equals(ALL))
                        .forEach(group -> dir.group(group).forEach((k, v) -> put(vars, where, k, v)));
            }
            hostVars.getOrDefault(name, Map.of()).forEach((k, v) -> put(vars, where, k, v));
            varsDirectories.forEach(dir -> dir.host(name).forEach((k, v) -> put(vars, where, k, v)));
            hosts.add(new Host(name, java.util.Collections.unmodifiableMap(vars), List.copyOf(groups)));
            locations.put(name, where);
        }
        Map<String, List<String>> groupHosts = new LinkedHashMap<>();
        for (String group : children.keySet()) {
            groupHosts.put(group, order.stream().filter(h -> membership.get(h).contains(group) || group.equals(ALL)).toList());
        }
        Set<String> ungrouped = new LinkedHashSet<>(); // Ansible's order: listed under ungrouped:, then the rest as parsed
        directHosts.getOrDefault(UNGROUPED, Set.of()).stream().filter(h -> !grouped.contains(h)).forEach(ungrouped::add);
        parseOrder.stream().filter(h -> !grouped.contains(h) && !ungrouped.contains(h)).forEach(ungrouped::add);
        groupHosts.put(UNGROUPED, order.stream().filter(ungrouped::contains).toList());
        Map<String, List<String>> direct = new LinkedHashMap<>();
        Map<String, List<String>> childGroups = new LinkedHashMap<>();
        List<String> allChildren = new ArrayList<>(List.of(UNGROUPED));
        children.get(ALL).stream().filter(g -> !g.equals(UNGROUPED)).forEach(allChildren::add);
        childGroups.put(ALL, List.copyOf(allChildren));
        direct.put(ALL, List.of());
        direct.put(UNGROUPED, List.copyOf(ungrouped));
        childGroups.put(UNGROUPED, List.copyOf(children.getOrDefault(UNGROUPED, Set.of())));
        for (String group : children.keySet()) {
            if (!group.equals(ALL) && !group.equals(UNGROUPED)) {
                direct.put(group, List.copyOf(directHosts.get(group)));
                childGroups.put(group, List.copyOf(children.get(group)));
            }
        }
        return new Inventory(doc.file(), List.copyOf(hosts), groupHosts, locations, new GroupTree(direct, childGroups));
    }

    private static void put(Map<String, Object> vars, Map<String, String> where, String name, Located value) {
        vars.put(name, value.value());
        where.put(name, value.location());
    }

    private int priority(String group) {
        Located priority = groupVars.getOrDefault(group, Map.of()).get(GROUP_PRIORITY);
        if (priority == null) {
            return 1;
        }
        if (priority.value() instanceof Number number) {
            return number.intValue();
        }
        throw new ConfigException(priority.location(), GROUP_PRIORITY, "expected a whole number");
    }

    private void assignDepth(String group, int level, Map<String, Integer> depth, Set<String> path) {
        if (!path.add(group)) {
            throw new ConfigException(doc.file().toString(), group, "group '" + group + "' is its own ancestor");
        }
        if (depth.getOrDefault(group, -1) < level) {
            depth.put(group, level);
        }
        for (String child : children.getOrDefault(group, Set.of())) {
            assignDepth(child, level + 1, depth, path);
        }
        path.remove(group);
    }

    private void collectHostsInOrder(String group, Set<String> order, Set<String> seenGroups) {
        if (!seenGroups.add(group)) {
            return;
        }
        order.addAll(directHosts.getOrDefault(group, Set.of()));
        for (String child : children.getOrDefault(group, Set.of())) {
            collectHostsInOrder(child, order, seenGroups);
        }
    }

    private void addWithAncestors(String host, String group, Set<String> groups) {
        if (!groups.add(group)) {
            return;
        }
        for (Map.Entry<String, Set<String>> entry : children.entrySet()) {
            if (entry.getValue().contains(group)) {
                addWithAncestors(host, entry.getKey(), groups);
            }
        }
    }
}

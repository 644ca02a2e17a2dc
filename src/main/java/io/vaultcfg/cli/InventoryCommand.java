package io.vaultcfg.cli;

import io.vaultcfg.config.ConfigException;
import io.vaultcfg.inventory.GroupTree;
import io.vaultcfg.inventory.Host;
import io.vaultcfg.inventory.Inventory;
import io.vaultcfg.inventory.InventoryLoader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints the inventory as vaultcfg resolved it, in the shapes {@code ansible-inventory} prints, for diffing. */
@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = {"Shows the inventory as vaultcfg reads it, in ansible-inventory's format: --list (JSON), "
                + "--graph (tree) or --host NAME (that host's variables). Contacts no host.",
                "Exit codes: 0 = printed; 1 = usage error or bad input."})
public final class InventoryCommand implements Callable<Integer> {
    @Mixin
    InventoryArgument inventory;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "--list", required = true, description = "All groups and hosts with their variables, as JSON")
        boolean list;

        @Option(names = "--graph", required = true, description = "The group tree")
        boolean graph;

        @Option(names = "--host", required = true, paramLabel = "NAME", description = "One host's variables, as JSON")
        String host;
    }

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Only hosts matching this Ansible pattern")
    String limit;

    @Option(names = "--playbook-dir", paramLabel = "DIR",
            description = "Also read the group_vars/ and host_vars/ in DIR, as a playbook there would (as ansible-inventory does)")
    java.nio.file.Path playbookDir;

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try {
            Inventory loaded = InventoryLoader.load(inventory.path(), playbookDir);
            List<Host> hosts = limit == null ? loaded.hosts() : loaded.select(limit, "--limit");
            if (action.host != null) {
                Host host = hosts.stream().filter(h -> h.name().equals(action.host)).findFirst()
                        .orElseThrow(() -> new ConfigException("--host", null, "no host '" + action.host + "' in "
                                + inventory.path() + (limit == null ? "" : " within --limit")));
                out.println(PythonJson.write(host.vars()));
            } else if (action.list) {
                out.println(PythonJson.write(list(loaded.tree(), hosts)));
            } else {
                graph(loaded.tree(), "all", 0, names(loaded.hosts()), out); // ansible-inventory --graph ignores --limit too
            }
            return 0;
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }

    /** ansible-inventory --list: every non-empty group's hosts and children, and _meta.hostvars. */
    static Map<String, Object> list(GroupTree tree, List<Host> hosts) {
        Set<String> available = names(hosts);
        Map<String, Object> result = new LinkedHashMap<>();
        tree.childGroups().keySet().forEach(group -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            List<String> own = tree.directHosts().get(group).stream().filter(available::contains).toList();
            if (!own.isEmpty()) {
                entry.put("hosts", own);
            }
            if (!tree.childGroups().get(group).isEmpty()) {
                entry.put("children", tree.childGroups().get(group));
            }
            if (!entry.isEmpty()) {
                result.put(group, entry);
            }
        });
        Map<String, Object> hostvars = new LinkedHashMap<>();
        hosts.stream().filter(h -> !h.vars().isEmpty()).forEach(h -> hostvars.put(h.name(), h.vars()));
        result.put("_meta", Map.of("hostvars", hostvars, "profile", "inventory_legacy"));
        return result;
    }

    private static void graph(GroupTree tree, String group, int depth, Set<String> available, PrintStream out) {
        out.println(graphLine("@" + group + ":", depth));
        for (String child : tree.childGroups().get(group)) {
            graph(tree, child, depth + 1, available, out);
        }
        if (!group.equals("all")) {
            tree.directHosts().get(group).stream().filter(available::contains).forEach(h -> out.println(graphLine(h, depth + 1)));
        }
    }

    private static String graphLine(String name, int depth) {
        return depth == 0 ? name : "  |".repeat(depth) + "--" + name;
    }

    private static Set<String> names(List<Host> hosts) {
        return hosts.stream().map(Host::name).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

}

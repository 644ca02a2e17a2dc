package io.vaultcfg.inventory;

import io.vaultcfg.config.ConfigException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A loaded inventory: hosts in order of first appearance, groups, and where each variable was set. */
public final class Inventory {
    private final Path file;
    private final List<Host> hosts;
    private final Map<String, List<String>> groups;
    private final Map<String, Map<String, String>> locations;
    private final GroupTree tree;

    Inventory(Path file, List<Host> hosts, Map<String, List<String>> groups, Map<String, Map<String, String>> locations,
              GroupTree tree) {
        this.tree = tree;
        this.file = file;
        this.hosts = hosts;
        this.groups = groups;
        this.locations = locations;
    }

    public List<Host> hosts() {
        return hosts;
    }

    /** Each group's own hosts and child groups, in Ansible's order (for {@code vaultcfg inventory}). */
    public GroupTree tree() {
        return tree;
    }

    boolean hasHost(String name) {
        return hosts.stream().anyMatch(host -> host.name().equals(name));
    }

    /** Group name to its hosts (including those of child groups), in inventory order. */
    public Map<String, List<String>> groups() {
        return groups;
    }

    /**
     * Hosts matching an Ansible pattern, in inventory order. A pattern that matches nothing is bad
     * input: {@code where} names the playbook line or flag that gave it.
     */
    public List<Host> select(String pattern, String where) {
        List<Host> selected;
        try {
            selected = HostPattern.select(pattern, this);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where, "hosts", e.getMessage());
        }
        if (selected.isEmpty()) {
            Set<String> known = new TreeSet<>(groups.keySet());
            throw new ConfigException(where, "hosts", "pattern '" + pattern + "' matches no host in " + file
                    + " (groups: " + String.join(", ", known) + ")");
        }
        return selected;
    }

    /** Ansible's magic variables for a host: group_names (without all/ungrouped) and groups. */
    public Map<String, Object> magicVariables(Host host) {
        Map<String, Object> magic = new LinkedHashMap<>();
        magic.put("group_names", host.groups().stream().filter(g -> !g.equals("all") && !g.equals("ungrouped")).sorted().toList());
        magic.put("groups", groups);
        magic.put("inventory_file", file.toString());
        return magic;
    }

    /** file:line where the winning value of {@code var} was set for {@code host}, or the file when unknown. */
    public String locationOf(String host, String var) {
        String location = locations.getOrDefault(host, Map.of()).get(var);
        return location != null ? location : file + " (or -e / VAULTCFG_VAR_" + var + ")";
    }
}

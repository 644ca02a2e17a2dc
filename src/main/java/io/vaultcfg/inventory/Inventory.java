package io.vaultcfg.inventory;

import io.vaultcfg.config.ConfigException;
import java.util.List;
import java.util.Map;

/** TEMPORARY stub until the inventory branch lands: hosts of 'all' only, patterns = all or a host name. */
public final class Inventory {
    private final List<Host> hosts;
    private final Map<String, List<String>> groups;

    Inventory(List<Host> hosts, Map<String, List<String>> groups) {
        this.hosts = hosts;
        this.groups = groups;
    }

    public List<Host> select(String pattern, String where) {
        List<Host> selected = hosts.stream().filter(h -> pattern.equals("all") || pattern.equals(h.name())
                || groups.getOrDefault(pattern, List.of()).contains(h.name())).toList();
        if (selected.isEmpty()) {
            throw new ConfigException(where, "hosts", "pattern '" + pattern + "' matches no host");
        }
        return selected;
    }

    public Map<String, Object> magicVariables(Host host) {
        return Map.of();
    }

    public String locationOf(String host, String var) {
        return "inventory";
    }
}

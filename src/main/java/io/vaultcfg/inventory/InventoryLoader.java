package io.vaultcfg.inventory;

import io.vaultcfg.config.YamlDocument;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/** TEMPORARY stub until the inventory branch lands. */
public final class InventoryLoader {
    private InventoryLoader() {
    }

    @SuppressWarnings("unchecked")
    public static Inventory load(Path file) {
        YamlDocument doc = YamlDocument.load(file, "inventory");
        Map<String, Node> top = doc.mapping(doc.root(), null);
        Map<String, Node> all = doc.mapping(top.get("all"), "all");
        Map<String, Object> allVars = (Map<String, Object>) doc.plain(all.get("vars"), "vars");
        List<Host> hosts = new ArrayList<>();
        Map<String, List<String>> groups = new LinkedHashMap<>();
        doc.mapping(all.get("hosts"), "hosts").forEach((name, node) -> {
            Map<String, Object> vars = new LinkedHashMap<>(allVars == null ? Map.of() : allVars);
            Object hostVars = doc.plain(node, name);
            if (hostVars != null) {
                vars.putAll((Map<String, Object>) hostVars);
            }
            hosts.add(new Host(name, vars));
        });
        doc.mapping(all.get("children"), "children").forEach((group, node) -> {
            Map<String, Node> g = doc.mapping(node, group);
            Map<String, Object> groupVars = (Map<String, Object>) doc.plain(g.get("vars"), "vars");
            groups.put(group, new ArrayList<>(doc.mapping(g.get("hosts"), "hosts").keySet()));
            doc.mapping(g.get("hosts"), "hosts").forEach((name, hostNode) -> {
                Map<String, Object> vars = new LinkedHashMap<>(allVars == null ? Map.of() : allVars);
                if (groupVars != null) {
                    vars.putAll(groupVars);
                }
                Object hostVars = doc.plain(hostNode, name);
                if (hostVars != null) {
                    vars.putAll((Map<String, Object>) hostVars);
                }
                hosts.add(new Host(name, vars));
            });
        });
        return new Inventory(hosts, groups);
    }
}

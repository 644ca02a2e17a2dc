package io.vaultcfg.run;

import io.vaultcfg.vault.NodeRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which hosts of a play form one Vault cluster: the hosts with the same {@code vault_cluster} variable (by
 * default, every host of the play is one cluster, split where its nodes report different cluster ids), checked
 * against the cluster ids the nodes report. A host
 * with {@code vault_cluster: none}, or whose node says it has no HA storage, stands alone; so does an undeclared
 * uninitialized node whose configuration names no raft peers to join (a fresh single-node server). When no node of the
 * default cluster tells its role (none runs yet, or none can be read: no curl on the hosts), there is no cluster
 * to keep: its hosts stand alone. A declared cluster is never dissolved: a node whose role cannot be read is then
 * not restarted.
 *
 * <p>Only the nodes in the inventory are seen: peers outside it cannot be read without a token.
 */
final class Clusters {
    static final String VARIABLE = "vault_cluster";
    static final String STANDALONE = "none";
    static final String DEFAULT = "(the play's hosts)";

    /**
     * A host as membership sees it; {@code role} empty when the node's role was not read; {@code standsAlone} when
     * the node says it has no HA storage, or is uninitialized with no raft peers in its configuration.
     */
    record Node(String host, Optional<String> declared, Optional<NodeRole> role, boolean standsAlone) {
    }

    /** One cluster's hosts in inventory order; {@code refusal} set when its nodes disagree with the inventory. */
    record Cluster(String name, List<String> hosts, Optional<String> refusal) {
    }

    record Layout(List<Cluster> clusters, List<String> standalone) {
        Optional<Cluster> clusterOf(String host) {
            return clusters.stream().filter(cluster -> cluster.hosts().contains(host)).findFirst();
        }
    }

    private Clusters() {
    }

    static Layout of(List<Node> nodes) {
        Map<String, List<Node>> byName = new LinkedHashMap<>();
        List<String> standalone = new ArrayList<>();
        for (Node node : nodes) {
            String name = node.declared().filter(value -> !value.isBlank()).orElse(DEFAULT);
            if (name.equals(STANDALONE) || node.standsAlone()) {
                standalone.add(node.host());
            } else {
                byName.computeIfAbsent(name, key -> new ArrayList<>()).add(node);
            }
        }
        List<Node> undeclared = byName.getOrDefault(DEFAULT, List.of());
        if (!undeclared.isEmpty() && undeclared.stream().allMatch(node -> node.role().isEmpty())) {
            byName.remove(DEFAULT);
            undeclared.forEach(node -> standalone.add(node.host()));
        } else {
            splitByClusterId(byName, undeclared);
        }
        Map<String, Set<String>> idsByCluster = new LinkedHashMap<>();
        Map<String, Set<String>> clustersById = new LinkedHashMap<>();
        byName.forEach((name, members) -> members.forEach(node -> node.role().flatMap(NodeRole::clusterId).ifPresent(id -> {
            idsByCluster.computeIfAbsent(name, key -> new TreeSet<>()).add(id);
            clustersById.computeIfAbsent(id, key -> new LinkedHashSet<>()).add(name);
        })));
        List<Cluster> clusters = new ArrayList<>();
        byName.forEach((name, members) -> clusters.add(new Cluster(name, members.stream().map(Node::host).toList(),
                refusal(name, members, idsByCluster.getOrDefault(name, Set.of()), clustersById))));
        return new Layout(List.copyOf(clusters), List.copyOf(standalone));
    }

    /**
     * Without {@code vault_cluster}, nodes that report different cluster ids are separate clusters (e.g. a fleet of
     * single-node servers), each rolled on its own; nodes that report none yet (not initialized, sealed, down)
     * stay one cluster, or join the only cluster reported.
     */
    private static void splitByClusterId(Map<String, List<Node>> byName, List<Node> undeclared) {
        Map<String, List<Node>> byId = new LinkedHashMap<>();
        List<Node> withoutId = new ArrayList<>();
        for (Node node : undeclared) {
            Optional<String> id = node.role().flatMap(NodeRole::clusterId);
            if (id.isPresent()) {
                byId.computeIfAbsent(id.get(), key -> new ArrayList<>()).add(node);
            } else {
                withoutId.add(node);
            }
        }
        if (byId.size() <= 1) {
            return;
        }
        byName.remove(DEFAULT);
        byId.forEach((id, nodes) -> byName.put("(cluster id " + id + ")", nodes));
        if (!withoutId.isEmpty()) {
            byName.put(DEFAULT, withoutId);
        }
    }

    private static Optional<String> refusal(String name, List<Node> members, Set<String> ids,
                                            Map<String, Set<String>> clustersById) {
        if (ids.size() > 1) {
            List<String> says = new ArrayList<>();
            for (String id : ids) {
                says.add(id + " (" + String.join(", ", members.stream()
                        .filter(node -> node.role().flatMap(NodeRole::clusterId).filter(id::equals).isPresent())
                        .map(Node::host).toList()) + ")");
            }
            return Optional.of("refused before any change: the hosts of cluster " + name + " belong to different Vault "
                    + "clusters by the ids their nodes report: " + String.join("; ", says) + ". Give each raft cluster "
                    + "its own " + VARIABLE + " in the inventory");
        }
        for (String id : ids) {
            Set<String> sharing = clustersById.get(id);
            if (sharing.size() > 1) {
                return Optional.of("refused before any change: cluster id " + id + " is reported by the nodes of "
                        + String.join(" and ", sharing) + ": one raft cluster split over several " + VARIABLE
                        + " values could have two of its nodes restarted at once. Give its hosts one " + VARIABLE);
            }
        }
        return Optional.empty();
    }
}

package io.vaultcfg.run;

import io.vaultcfg.module.NodeRoleFact;
import io.vaultcfg.vault.NodeRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a cluster can lose a node for a restart, and whether a restarted node is back, from what each node
 * said a moment ago. A cluster with an initialized node needs every node unsealed, an active node, and every
 * node's raft log applied up to the active node's committed index; a new cluster (no node initialized) needs
 * every node to answer.
 */
final class ClusterHealth {
    private ClusterHealth() {
    }

    /**
     * Empty when every node of {@code hosts} but {@code except} is ready; else what is not, one reason per node.
     *
     * @param readings what each node said; a missing one was not read
     */
    static Optional<String> notReady(List<String> hosts, Optional<String> except, Map<String, NodeRoleFact.Reading> readings) {
        boolean initialized = readings.values().stream().anyMatch(reading -> reading.role().filter(NodeRole::initialized).isPresent());
        Optional<NodeRole> leader = readings.values().stream().flatMap(reading -> reading.role().stream())
                .filter(role -> role.role() == NodeRole.Role.ACTIVE).findFirst();
        List<String> reasons = new ArrayList<>();
        for (String host : hosts) {
            if (except.filter(host::equals).isPresent()) {
                continue;
            }
            NodeRoleFact.Reading reading = readings.get(host);
            if (reading == null || reading.role().isEmpty()) {
                reasons.add(host + ": " + (reading == null ? "not read" : reading.problem()));
                continue;
            }
            NodeRole role = reading.role().get();
            if (!initialized) {
                continue;
            }
            if (!role.unsealed()) {
                reasons.add(host + " is " + role.describe());
            } else if (leader.isPresent() && !role.caughtUpWith(leader.get())) {
                reasons.add(host + " has not caught up with the active node's raft log (" + role.describe() + "; active node "
                        + leader.get().raftCommittedIndex().orElse(-1) + " committed)");
            }
        }
        if (initialized && leader.isEmpty()) {
            reasons.add("no node of the cluster is active");
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }
}

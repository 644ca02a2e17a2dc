package io.vaultcfg.run;

import io.vaultcfg.vault.NodeRole;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The order the nodes of one cluster are restarted in, one at a time: nodes that serve nothing now (not
 * initialized, sealed, down, unreadable) first, then the standbys, the active node last, so that the cluster
 * changes leader at most once. Within each kind, inventory order.
 */
final class RolloutOrder {
    private RolloutOrder() {
    }

    /** @param hosts the cluster's hosts in inventory order; {@code roles} what each node said, where it was read */
    static List<String> of(List<String> hosts, Map<String, Optional<NodeRole>> roles) {
        return hosts.stream().sorted(Comparator.comparingInt(host -> rank(roles.getOrDefault(host, Optional.empty()))))
                .toList();
    }

    static int rank(Optional<NodeRole> role) {
        if (role.isEmpty()) {
            return 0;
        }
        return switch (role.get().role()) {
            case STANDBY -> 1;
            case ACTIVE -> 2;
            default -> 0;
        };
    }

    /** How a node's place reads in the rollout, e.g. "standby". */
    static String kind(Optional<NodeRole> role) {
        return role.map(value -> value.role().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
                .orElse("role not read");
    }
}

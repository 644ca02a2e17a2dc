package io.vaultcfg.vault;

import io.vaultcfg.json.PlainJson;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A node's role as it says it without a token: initialized or not, sealed or not, its seal, active or standby,
 * the cluster it belongs to and how far its raft log is applied.
 *
 * <p>What each answer tells (checked against OpenBao 2.6.2, fixtures in {@code src/test/resources/openbao-2.6.2}):
 * {@code sys/seal-status} is always 200 and carries initialized, sealed, the seal type and, once unsealed, the
 * cluster id; {@code sys/health} tells active from standby (200 active, 429 standby, 501 not initialized, 503
 * sealed, the body saying the same); {@code sys/leader} answers 503 while sealed, else the leader's address
 * (absent while the cluster has no leader) and the node's raft committed and applied indexes. Its
 * {@code is_self} can still say true on a node that lost its quorum and is a standby again, so only
 * {@code sys/health} decides active or standby. A standby unsealed with {@code migrate} during a seal migration
 * answers neither seal-status nor health until the active node has migrated ({@link MigratedStandby}).
 *
 * @param leaderAddress the leader's API address as this node last knew it (it may be stale on a standby)
 */
public record NodeRole(Role role, boolean initialized, boolean sealed, String sealType, boolean recoverySeal,
                       boolean migration, String version, Optional<String> clusterId, Optional<String> leaderAddress,
                       OptionalLong raftCommittedIndex, OptionalLong raftAppliedIndex) {

    public enum Role {
        /** Not initialized: waits for {@code operator init}, or for its raft join. */
        UNINITIALIZED,
        SEALED,
        /** Unsealed and the cluster's active node (or a node without HA). */
        ACTIVE,
        /** Unsealed, serving as a standby. */
        STANDBY,
        /** The answers disagree: the node was initialized, sealed or unsealed between them. Read again. */
        CHANGING
    }

    /**
     * The role from the three answers, which must be read in this order close together.
     *
     * @throws UnreadableNodeStatus when an answer is not what a Vault or OpenBao node sends
     */
    public static NodeRole read(NodeAnswer sealStatus, NodeAnswer health, NodeAnswer leader) {
        Map<String, Object> seal = object("sys/seal-status", sealStatus);
        Optional<NodeRole> migrated = MigratedStandby.read(seal, sealStatus, leader);
        if (migrated.isPresent()) {
            return migrated.get();
        }
        if (sealStatus.status() != 200) {
            throw new UnreadableNodeStatus("sys/seal-status answered HTTP " + sealStatus.status());
        }
        Map<String, Object> healthBody = object("sys/health", health);
        boolean sealInitialized = flag("sys/seal-status", seal, "initialized");
        boolean sealSealed = flag("sys/seal-status", seal, "sealed");
        boolean healthInitialized = flag("sys/health", healthBody, "initialized");
        boolean healthSealed = flag("sys/health", healthBody, "sealed");
        boolean initialized = sealInitialized && healthInitialized;
        boolean sealed = sealSealed || healthSealed;

        Map<String, Object> leaderBody = Map.of();
        Role role;
        if (sealInitialized != healthInitialized || sealSealed != healthSealed) {
            role = Role.CHANGING;
        } else if (!initialized) {
            role = Role.UNINITIALIZED;
        } else if (sealed) {
            role = Role.SEALED;
        } else if (leader.status() == 503) {
            role = Role.CHANGING;
        } else if (leader.status() != 200) {
            throw new UnreadableNodeStatus("sys/leader answered HTTP " + leader.status() + " on an unsealed node");
        } else {
            leaderBody = object("sys/leader", leader);
            role = flag("sys/health", healthBody, "standby") ? Role.STANDBY : Role.ACTIVE;
        }
        Optional<String> clusterId = text(seal, "cluster_id").or(() -> text(healthBody, "cluster_id"));
        return new NodeRole(role, initialized, sealed, text(seal, "type").orElseThrow(() -> missing("sys/seal-status", "type")),
                Boolean.TRUE.equals(seal.get("recovery_seal")), Boolean.TRUE.equals(seal.get("migration")),
                text(seal, "version").orElse(""), clusterId, text(leaderBody, "leader_address"),
                index(leaderBody, "raft_committed_index"), index(leaderBody, "raft_applied_index"));
    }

    public boolean unsealed() {
        return role == Role.ACTIVE || role == Role.STANDBY;
    }

    /** This node's raft log is applied at least up to {@code leader}'s committed index (both read from sys/leader). */
    public boolean caughtUpWith(NodeRole leader) {
        return raftAppliedIndex.isPresent() && leader.raftCommittedIndex.isPresent()
                && raftAppliedIndex.getAsLong() >= leader.raftCommittedIndex.getAsLong();
    }

    /** e.g. "standby (awskms, recovery seal), cluster 6f0c…, raft applied 41 of 41 committed". */
    public String describe() {
        StringBuilder text = new StringBuilder(role.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
                .append(" (").append(sealType).append(recoverySeal ? ", recovery seal" : "")
                .append(migration ? ", seal migration in progress" : "").append(')');
        clusterId.ifPresent(id -> text.append(", cluster ").append(id));
        if (raftAppliedIndex.isPresent() && raftCommittedIndex.isPresent()) {
            text.append(", raft applied ").append(raftAppliedIndex.getAsLong())
                    .append(" of ").append(raftCommittedIndex.getAsLong()).append(" committed");
        }
        return text.toString();
    }

    static Map<String, Object> object(String endpoint, NodeAnswer answer) {
        Object value = PlainJson.parse(answer.body()).orElseThrow(() ->
                new UnreadableNodeStatus(endpoint + " answered HTTP " + answer.status() + " without a JSON body"));
        if (!(value instanceof Map<?, ?>)) {
            throw new UnreadableNodeStatus(endpoint + " answered HTTP " + answer.status() + " with JSON that is not an object");
        }
        return PlainJson.object(value);
    }

    private static boolean flag(String endpoint, Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (!(value instanceof Boolean bool)) {
            throw missing(endpoint, field);
        }
        return bool;
    }

    static Optional<String> text(Map<String, Object> body, String field) {
        return body.get(field) instanceof String value && !value.isEmpty() ? Optional.of(value) : Optional.empty();
    }

    static OptionalLong index(Map<String, Object> body, String field) {
        if (body.get(field) instanceof String value && value.matches("\\d{1,18}")) {
            return OptionalLong.of(Long.parseLong(value));
        }
        return OptionalLong.empty();
    }

    private static UnreadableNodeStatus missing(String endpoint, String field) {
        return new UnreadableNodeStatus(endpoint + ": the answer has no \"" + field + "\" of the expected type");
    }
}

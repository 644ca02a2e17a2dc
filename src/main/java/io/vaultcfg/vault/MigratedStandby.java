package io.vaultcfg.vault;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A standby unsealed with {@code migrate} while the active node is still on the old seal (OpenBao 2.6.2, fixture
 * {@code raft-awskms-migrated-standby}): it is unsealed and follows the raft log, but {@code sys/seal-status} answers
 * HTTP 500 {@code barrier seal type of "shamir" does not match loaded type of "awskms"} and {@code sys/health} 500
 * until the active node completes the migration; {@code sys/leader} answers as on any unsealed node.
 */
final class MigratedStandby {
    private static final Pattern MISMATCH = Pattern.compile(
            "barrier seal type of \"([a-z0-9_-]+)\" does not match loaded type of \"([a-z0-9_-]+)\"");

    private MigratedStandby() {
    }

    static Optional<NodeRole> read(Map<String, Object> seal, NodeAnswer sealStatus, NodeAnswer leader) {
        if (sealStatus.status() != 500 || leader.status() != 200 || !(seal.get("errors") instanceof List<?> errors)) {
            return Optional.empty();
        }
        Optional<Matcher> mismatch = errors.stream().filter(String.class::isInstance).map(String.class::cast)
                .map(MISMATCH::matcher).filter(Matcher::find).findFirst();
        if (mismatch.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> leaderBody = NodeRole.object("sys/leader", leader);
        boolean self = Boolean.TRUE.equals(leaderBody.get("is_self"));
        String loaded = mismatch.get().group(2);
        OptionalLong committed = NodeRole.index(leaderBody, "raft_committed_index");
        OptionalLong applied = NodeRole.index(leaderBody, "raft_applied_index");
        return Optional.of(new NodeRole(self ? NodeRole.Role.ACTIVE : NodeRole.Role.STANDBY, true, false, loaded,
                !loaded.equals("shamir"), true, "", Optional.empty(), NodeRole.text(leaderBody, "leader_address"), committed,
                applied));
    }
}

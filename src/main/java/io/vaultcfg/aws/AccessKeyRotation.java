package io.vaultcfg.aws;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code vaultcfg rotate-access-key}'s decisions on top of {@link AccessKeyResolver}'s: a new key only when the hosts
 * all hold the key in use and it is the user's only key (a key no host holds is deleted first, a key still in its
 * grace period postpones the rotation: never a third key), and the key being replaced is deactivated only after
 * every host holds the new one and unsealed with it ({@link #retiredAfterHosts}).
 */
public final class AccessKeyRotation {
    private AccessKeyRotation() {
    }

    /**
     * @param inUse the key every host is on (or, after a rotation cut off part-way, the newest key some hosts are on)
     * @param kept  the user's other keys that stay after this run's changes (held, in their grace period, or deactivated now)
     */
    static AccessKeyResolver.Resolution decide(AwsState.AccessKey inUse, HeldCredentials pair, List<String> kept,
                                               List<AwsChange> changes, List<String> notes, KeyRotation rotation) {
        List<String> all = new ArrayList<>(notes);
        Optional<String> notDue = rotation.notDue(inUse.id(), inUse.created());
        boolean create = false;
        if (!kept.isEmpty()) {
            all.add("rotation: no new access key in this run: " + String.join(", ", kept) + " still exist"
                    + (kept.size() == 1 ? "s" : "") + " beside " + inUse.id() + " (the IAM user never holds a third key)");
        } else if (notDue.isPresent()) {
            all.add("rotation: " + notDue.get());
        } else {
            create = true;
            all.add("rotation: access key " + inUse.id() + " (created " + inUse.created() + ") is replaced by a new one, "
                    + "proven (kms:DescribeKey, Encrypt, Decrypt) before any host gets it; " + inUse.id()
                    + " is deactivated once every host holds the new key and unsealed with it");
        }
        return new AccessKeyResolver.Resolution(create ? Optional.empty() : Optional.of(pair), create, List.copyOf(changes),
                Optional.empty(), List.copyOf(all));
    }

    /**
     * The active keys this run takes the hosts off: held by a host now, not the {@code target} (empty: a key this run
     * creates), and held by no host outside --limit (which keeps its key until a run reaches it).
     */
    public static Set<String> retiredAfterHosts(List<AwsState.AccessKey> userKeys, List<FleetMember> fleet,
                                                Optional<HeldCredentials> target) {
        Set<String> retired = new LinkedHashSet<>();
        for (AwsState.AccessKey key : userKeys) {
            boolean heldByTargeted = fleet.stream().anyMatch(m -> m.targeted() && holds(m, key.id()));
            boolean heldOutside = fleet.stream().anyMatch(m -> !m.targeted() && holds(m, key.id()));
            boolean isTarget = target.filter(t -> t.accessKeyId().equals(key.id())).isPresent();
            if (key.active() && heldByTargeted && !heldOutside && !isTarget) {
                retired.add(key.id());
            }
        }
        return retired;
    }

    private static boolean holds(FleetMember member, String accessKeyId) {
        return member.held().filter(pair -> pair.accessKeyId().equals(accessKeyId)).isPresent();
    }
}

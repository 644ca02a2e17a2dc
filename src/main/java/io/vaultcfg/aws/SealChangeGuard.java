package io.vaultcfg.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Changing the KMS key of an initialized node is a seal migration, not a file edit: OpenBao and Vault
 * do not move from one awskms key to another by a restart, and a node whose key the policy no longer
 * grants stays sealed. So, in the planning pass: stop when an initialized node's seal stanza names
 * another key or region than the one planned, and never rewrite the policy so that it drops a key a
 * host's stanza names.
 */
public final class SealChangeGuard {
    private SealChangeGuard() {
    }

    /**
     * @param planned        the key the alias resolves to now; empty when a new key would be created
     * @param rewritesPolicy the plan replaces an existing policy document (it will grant the planned key only)
     * @param resolveArn     a key id, alias or ARN of the planned region to its key ARN (a read); empty if unknown
     */
    public static Optional<String> check(List<FleetMember> fleet, Optional<AwsState.Key> planned, String region,
                                         SealResources names, String account, boolean rewritesPolicy,
                                         Function<String, Optional<String>> resolveArn) {
        String plannedText = planned.map(key -> "KMS key " + key.arn())
                .orElse("a new KMS key (" + names.alias() + " does not exist in " + region + ")");
        Map<SealStanza, List<String>> elsewhere = new LinkedHashMap<>();
        Map<SealStanza, List<String>> initializedElsewhere = new LinkedHashMap<>();
        Map<SealStanza, Boolean> same = new LinkedHashMap<>();
        for (FleetMember member : fleet) {
            if (member.stanza().isEmpty()) {
                continue;
            }
            SealStanza stanza = member.stanza().get();
            if (same.computeIfAbsent(stanza, s -> namesPlannedKey(s, planned, region, names, account, resolveArn))) {
                continue;
            }
            elsewhere.computeIfAbsent(stanza, s -> new ArrayList<>()).add(member.name());
            if (member.node() != FleetMember.Node.NOT_INITIALIZED) {
                initializedElsewhere.computeIfAbsent(stanza, s -> new ArrayList<>())
                        .add(member.name() + (member.node() == FleetMember.Node.UNKNOWN ? " (status unreadable)" : ""));
            }
        }
        if (!initializedElsewhere.isEmpty()) {
            return Optional.of(describe(initializedElsewhere) + ", but this run plans " + plannedText + " in " + region
                    + ". An initialized node's data is sealed by its key: OpenBao and Vault do not move it to another awskms "
                    + "key by a restart (that is a seal migration, run by hand with both seal stanzas and "
                    + "'operator unseal -migrate'), and it would come back sealed. Check kms_alias, aws_region, the AWS "
                    + "profile and account; to keep these nodes' key, point kms_alias (and aws_region) at it. "
                    + "A node that is not initialized yet may have its seal stanza removed, then run again");
        }
        if (rewritesPolicy && !elsewhere.isEmpty()) {
            return Optional.of(describe(elsewhere) + ", and the seal policy would be rewritten to grant " + plannedText
                    + " only. vaultcfg never drops from the policy a key that a host's seal stanza names. These nodes are "
                    + "not initialized: remove their seal stanza (or point kms_alias at their key), then run again");
        }
        List<FleetMember> unread = fleet.stream().filter(m -> !m.isRead() && !m.forgotten()).toList();
        if (planned.isEmpty() && !unread.isEmpty()) {
            return Optional.of(names.alias() + " does not exist in " + region + ": a new KMS key would be made and the policy "
                    + "would grant only it, but " + AccessKeyResolver.unreadExplained(unread) + ", so their seal stanzas are "
                    + "unknown (an initialized node on another key would be sealed). " + AccessKeyResolver.howToProceed(unread));
        }
        return Optional.empty();
    }

    private static boolean namesPlannedKey(SealStanza stanza, Optional<AwsState.Key> planned, String region, SealResources names,
                                 String account, Function<String, Optional<String>> resolveArn) {
        if (planned.isEmpty() || !stanza.keyRegion().equals(region) || !stanza.region().equals(region)) {
            return false;
        }
        AwsState.Key key = planned.get();
        Set<String> spellings = Set.of(key.keyId(), key.arn(), names.alias(),
                "arn:aws:kms:" + region + ":" + account + ":" + names.alias());
        return spellings.contains(stanza.kmsKeyId())
                || resolveArn.apply(stanza.kmsKeyId()).filter(key.arn()::equals).isPresent();
    }

    private static String describe(Map<SealStanza, List<String>> byStanza) {
        return byStanza.entrySet().stream()
                .map(e -> String.join(", ", e.getValue()) + ": seal stanza names KMS key " + e.getKey().kmsKeyId()
                        + " in " + e.getKey().region())
                .collect(Collectors.joining("; "));
    }
}

package io.vaultcfg.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * {@code vaultcfg audit}'s AWS half: every practice of the seed on the KMS key and the IAM user, read only (only
 * Describe/Get/List calls). Each check stands alone: a read the credentials may not make leaves it "not checked".
 */
public final class SealAudit {
    private final AwsClients clients;

    public SealAudit(AwsClients clients) {
        this.clients = clients;
    }

    /**
     * What to audit.
     *
     * @param region           the fleet's region (aws_region)
     * @param alias            the key's alias, for when no host's stanza could be read
     * @param userNames        the IAM user's possible names, first found wins (else the owner of a held access key)
     * @param stanzas          each read host's awskms stanza
     * @param heldAccessKeyIds the access key ids the hosts hold (never their secrets)
     */
    public record Target(String region, String alias, List<String> userNames, String policyName, boolean inlinePolicy,
                         Map<String, SealStanza> stanzas, Collection<String> heldAccessKeyIds) {
    }

    public List<AuditLine> audit(Target target, Instant now) {
        List<AuditLine> lines = new ArrayList<>();
        KeyAudit keys = new KeyAudit(clients, target.region());
        Optional<KeyMetadata> key = Optional.empty();
        try {
            KeyAudit.Found found = keys.find(target.alias(), target.stanzas());
            lines.add(found.line());
            key = found.key();
        } catch (AuditCalls.Denied | AwsFailure e) {
            lines.add(AuditCalls.notRead(KeyAudit.ONE_KEY, e));
        }
        UserAudit users = new UserAudit(clients);
        Optional<AwsState.User> user = Optional.empty();
        try {
            UserAudit.Found found = users.find(target.userNames(), target.heldAccessKeyIds());
            lines.add(found.line());
            user = found.user();
        } catch (AuditCalls.Denied | AwsFailure e) {
            lines.add(AuditCalls.notRead(UserAudit.EXISTS, e));
        }
        if (key.isPresent()) {
            lines.addAll(keys.checks(key.get(), target.stanzas(), user));
        }
        if (user.isPresent()) {
            lines.addAll(users.checks(user.get(), target.policyName(), target.inlinePolicy(), key.map(KeyMetadata::arn), now));
        }
        return List.copyOf(lines);
    }
}

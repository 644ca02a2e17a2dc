package io.vaultcfg.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.Group;

/**
 * The seed's IAM user practices, read only: no console login, no group, no inline policy, exactly the one managed
 * policy granting exactly Encrypt/Decrypt/DescribeKey on the key the hosts name, at most one active access key and
 * its age against 30 days (a warning) and 90 days.
 */
final class UserAudit {
    static final String EXISTS = "IAM user of the seal exists";
    static final String CONSOLE = "IAM user has no console login";
    static final String GROUPS = "IAM user is in no IAM group";
    static final String INLINE = "IAM user has no inline policy";
    static final String MANAGED = "IAM user has exactly one managed policy";
    static final String EXACT = "seal policy is exactly Encrypt/Decrypt/DescribeKey on the key";
    static final String ONE_KEY = "IAM user has at most one active access key";
    static final String KEY_AGE = "access key is younger than 30 days (90 at most)";
    static final int WARN_DAYS = 30;
    static final int MAX_DAYS = 90;

    private final IamClient iam;

    UserAudit(AwsClients clients) {
        this.iam = clients.iam();
    }

    /** The named user; else the user owning an access key a host holds (a user made by hand). */
    record Found(AuditLine line, Optional<AwsState.User> user) {
    }

    Found find(List<String> names, Collection<String> heldAccessKeyIds) {
        for (String name : names) {
            Optional<AwsState.User> user = get(name);
            if (user.isPresent()) {
                return new Found(AuditLine.ok(EXISTS, user.get().arn()), user);
            }
        }
        for (String id : heldAccessKeyIds) {
            try {
                String owner = AuditCalls.read("iam:GetAccessKeyLastUsed", () -> iam.getAccessKeyLastUsed(r -> r.accessKeyId(id))).userName();
                Optional<AwsState.User> user = owner == null ? Optional.empty() : get(owner);
                if (user.isPresent()) {
                    return new Found(AuditLine.ok(EXISTS, user.get().arn() + " (owns the access key the hosts hold)"), user);
                }
            } catch (AwsReader.NotFoundFlag e) {
                // a key AWS no longer knows: the hosts' own audit shows them sealed if they depend on it
            }
        }
        return new Found(AuditLine.finding(EXISTS, "none of " + String.join(", ", names) + " exists"
                + (heldAccessKeyIds.isEmpty() ? "" : ", nor the owner of the access key the hosts hold")), Optional.empty());
    }

    private Optional<AwsState.User> get(String name) {
        try {
            var user = AuditCalls.read("iam:GetUser", () -> iam.getUser(r -> r.userName(name))).user();
            return Optional.of(new AwsState.User(user.userName(), user.arn(), false, List.of(), List.of(), List.of(),
                    Optional.empty(), java.util.Map.of()));
        } catch (AwsReader.NotFoundFlag e) {
            return Optional.empty();
        }
    }

    /**
     * @param policyName   the seal policy's name (managed, or inline when {@code inlinePolicy})
     * @param keyArn       the key the hosts' stanzas name; empty when it is unknown
     */
    List<AuditLine> checks(AwsState.User user, String policyName, boolean inlinePolicy, Optional<String> keyArn, Instant now) {
        String name = user.name();
        Reads reads = new Reads();
        List<AuditLine> lines = new ArrayList<>();
        lines.add(AuditCalls.check(CONSOLE, () -> console(name)));
        lines.add(AuditCalls.check(GROUPS, () -> groups(name)));
        lines.add(AuditCalls.check(INLINE, () -> inline(name, policyName, inlinePolicy, reads)));
        lines.add(AuditCalls.check(MANAGED, () -> managed(name, inlinePolicy, reads)));
        lines.add(AuditCalls.check(EXACT, () -> exact(name, policyName, inlinePolicy, reads, keyArn)));
        lines.add(AuditCalls.check(ONE_KEY, () -> activeKeys(name, reads)));
        lines.add(AuditCalls.check(KEY_AGE, () -> age(reads, now)));
        return lines;
    }

    /** What one check read and a later one needs; null while it was not read (e.g. AccessDenied). */
    private static final class Reads {
        List<String> inline;
        List<AttachedPolicy> attached;
        List<AccessKeyMetadata> active;
    }

    private AuditLine console(String name) {
        try {
            AuditCalls.read("iam:GetLoginProfile", () -> iam.getLoginProfile(r -> r.userName(name)));
            return AuditLine.finding(CONSOLE, name + " has a console password (programmatic access only): "
                    + "aws iam delete-login-profile --user-name " + name);
        } catch (AwsReader.NotFoundFlag e) {
            return AuditLine.ok(CONSOLE, "no login profile");
        }
    }

    private AuditLine groups(String name) {
        List<String> groups = AuditCalls.read("iam:ListGroupsForUser", () -> iam.listGroupsForUser(r -> r.userName(name)))
                .groups().stream().map(Group::groupName).toList();
        return groups.isEmpty() ? AuditLine.ok(GROUPS, "in no group")
                : AuditLine.finding(GROUPS, name + " is in " + String.join(", ", groups) + " (a group's policies widen what "
                + "its access key may do): aws iam remove-user-from-group --user-name " + name + " --group-name " + groups.get(0));
    }

    private AuditLine inline(String name, String policyName, boolean inlinePolicy, Reads reads) {
        List<String> inline = reads.inline = List.copyOf(AuditCalls.read("iam:ListUserPolicies",
                () -> iam.listUserPolicies(r -> r.userName(name))).policyNames());
        List<String> extra = inline.stream().filter(policy -> !(inlinePolicy && policy.equals(policyName))).toList();
        if (extra.isEmpty()) {
            return AuditLine.ok(INLINE, inlinePolicy ? "only the seal policy " + policyName + " (iam_policy_inline)" : "none");
        }
        return AuditLine.finding(INLINE, name + " has inline " + (extra.size() == 1 ? "policy " : "policies ")
                + String.join(", ", extra) + ": aws iam delete-user-policy --user-name " + name + " --policy-name " + extra.get(0));
    }

    private AuditLine managed(String name, boolean inlinePolicy, Reads reads) {
        List<AttachedPolicy> attached = reads.attached = List.copyOf(AuditCalls.read("iam:ListAttachedUserPolicies",
                () -> iam.listAttachedUserPolicies(r -> r.userName(name))).attachedPolicies());
        int expected = inlinePolicy ? 0 : 1;
        List<String> names = attached.stream().map(AttachedPolicy::policyName).toList();
        if (attached.size() == expected) {
            return AuditLine.ok(MANAGED, inlinePolicy ? "none (the seal policy is inline)" : names.get(0));
        }
        return AuditLine.finding(MANAGED, name + " has " + attached.size() + " managed policies"
                + (names.isEmpty() ? "" : " (" + String.join(", ", names) + ")") + ", should have " + expected);
    }

    private AuditLine exact(String name, String policyName, boolean inlinePolicy, Reads reads, Optional<String> keyArn) {
        if (keyArn.isEmpty()) {
            return AuditLine.notChecked(EXACT, "the key the hosts name is unknown");
        }
        if (reads.inline == null || reads.attached == null) {
            return AuditLine.notChecked(EXACT, "the user's policies could not be listed");
        }
        List<String> inline = reads.inline;
        List<AttachedPolicy> attached = reads.attached;
        Optional<AttachedPolicy> managed = attached.stream().filter(p -> p.policyName().equals(policyName)).findFirst()
                .or(() -> attached.size() == 1 ? Optional.of(attached.get(0)) : Optional.empty());
        Optional<String> inlineSeal = inline.contains(policyName) ? Optional.of(policyName)
                : inline.size() == 1 ? Optional.of(inline.get(0)) : Optional.empty();
        String document;
        String which;
        if (managed.isPresent() && !(inlinePolicy && inlineSeal.isPresent())) {
            which = managed.get().policyName();
            String arn = managed.get().policyArn();
            String version = AuditCalls.read("iam:GetPolicy", () -> iam.getPolicy(r -> r.policyArn(arn))).policy().defaultVersionId();
            document = AuditCalls.read("iam:GetPolicyVersion", () -> iam.getPolicyVersion(r -> r.policyArn(arn).versionId(version)))
                    .policyVersion().document();
        } else if (inlineSeal.isPresent()) {
            String inlineName = inlineSeal.get();
            which = inlineName + " (inline)";
            document = AuditCalls.read("iam:GetUserPolicy", () -> iam.getUserPolicy(r -> r.userName(name).policyName(inlineName)))
                    .policyDocument();
        } else {
            return AuditLine.finding(EXACT, name + " has no seal policy " + policyName + " to check");
        }
        return SealPolicyDocument.grantsExactly(document, keyArn.get())
                ? AuditLine.ok(EXACT, which + ": kms:Encrypt, kms:Decrypt, kms:DescribeKey on " + keyArn.get())
                : AuditLine.finding(EXACT, which + " grants more or other than kms:Encrypt, kms:Decrypt and kms:DescribeKey on "
                + keyArn.get() + " (the key every host's seal stanza names)");
    }

    private AuditLine activeKeys(String name, Reads reads) {
        List<AccessKeyMetadata> active = reads.active = AuditCalls.read("iam:ListAccessKeys",
                () -> iam.listAccessKeys(r -> r.userName(name))).accessKeyMetadata().stream()
                .filter(key -> "Active".equals(key.statusAsString())).toList();
        List<String> ids = active.stream().map(AccessKeyMetadata::accessKeyId).toList();
        return switch (ids.size()) {
            case 0 -> AuditLine.finding(ONE_KEY, name + " has no active access key: no node can reach KMS with it");
            case 1 -> AuditLine.ok(ONE_KEY, ids.get(0) + " is the only active key");
            default -> AuditLine.finding(ONE_KEY, name + " has " + ids.size() + " active access keys (" + String.join(", ", ids)
                    + "): deactivate the one no host holds");
        };
    }

    private AuditLine age(Reads reads, Instant now) {
        if (reads.active == null) {
            return AuditLine.notChecked(KEY_AGE, "the user's access keys could not be listed");
        }
        List<AccessKeyMetadata> active = reads.active;
        if (active.isEmpty()) {
            return AuditLine.notChecked(KEY_AGE, "no active access key");
        }
        List<String> old = new ArrayList<>();
        long oldest = 0;
        for (AccessKeyMetadata key : active) {
            long days = Duration.between(key.createDate(), now).toDays();
            oldest = Math.max(oldest, days);
            old.add(key.accessKeyId() + " is " + days + (days == 1 ? " day" : " days") + " old");
        }
        String ages = String.join(", ", old);
        if (oldest > MAX_DAYS) {
            return AuditLine.finding(KEY_AGE, ages + ": over " + MAX_DAYS + " days, rotate it now (vaultcfg rotate-access-key)");
        }
        if (oldest > WARN_DAYS) {
            return AuditLine.finding(KEY_AGE, "warn: " + ages + ": over " + WARN_DAYS + " days, rotate it soon (at most "
                    + MAX_DAYS + ")");
        }
        return AuditLine.ok(KEY_AGE, ages);
    }
}

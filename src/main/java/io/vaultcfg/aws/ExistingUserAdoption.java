package io.vaultcfg.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * An IAM user made by hand (the seed's steps 2–5) that owns the access key the hosts hold is the fleet's seal user:
 * vaultcfg takes it over instead of making a second one. Its policy is made exactly least-privilege: a policy of it
 * (any name, managed or inline) that grants exactly Encrypt, Decrypt and DescribeKey on the key is kept as the seal
 * policy; one that grants KMS more widely is replaced (vaultcfg's own policy attached first, then it is detached, or
 * deleted when inline). Both are stated in the plan. Reads only.
 *
 * @param names   the resources with the adopted user (and the kept policy, if one is kept)
 * @param changes detaching or deleting the replaced policies, made after vaultcfg's own policy is attached
 * @param notes   what was taken over, kept or replaced
 * @param replaced the names and ARNs of the replaced policies (the planner's note about them is superseded)
 */
public record ExistingUserAdoption(SealResources names, List<AwsChange> changes, List<String> notes, Set<String> replaced) {

    /**
     * The one user that owns the access keys the hosts hold (iam:GetAccessKeyLastUsed), when it was made by hand (no
     * {@value FleetOwnership#TAG} tag) or serves this very fleet; empty when none, several, or a user vaultcfg tagged
     * for another fleet (that one is never taken over: {@link FleetOwnership} and the seal guard speak for it).
     */
    public static Optional<String> owner(AwsClients clients, Collection<String> heldAccessKeyIds, String fleet) {
        Optional<String> owner = owner(clients, heldAccessKeyIds);
        if (owner.isEmpty()) {
            return owner;
        }
        Optional<String> tagged = AwsReader.call("iam:ListUserTags", () -> clients.iam().listUserTags(r -> r.userName(owner.get())))
                .tags().stream().filter(tag -> tag.key().equalsIgnoreCase(FleetOwnership.TAG)).map(tag -> tag.value()).findFirst();
        return tagged.isEmpty() || tagged.get().equals(fleet) ? owner : Optional.empty();
    }

    private static Optional<String> owner(AwsClients clients, Collection<String> heldAccessKeyIds) {
        Set<String> owners = new LinkedHashSet<>();
        for (String id : new LinkedHashSet<>(heldAccessKeyIds)) {
            try {
                String user = AwsReader.call("iam:GetAccessKeyLastUsed",
                        () -> clients.iam().getAccessKeyLastUsed(r -> r.accessKeyId(id))).userName();
                if (user != null && !user.isEmpty()) {
                    owners.add(user);
                }
            } catch (AwsReader.NotFoundFlag e) {
                // a key AWS no longer has: the access key lifecycle reports it
            }
        }
        return owners.size() == 1 ? Optional.of(owners.iterator().next()) : Optional.empty();
    }

    /** The user's policies judged against the key ({@code keyArn}; empty when it does not exist yet). */
    public static ExistingUserAdoption of(AwsClients clients, SealResources names, String user, Optional<String> keyArn) {
        IamClient iam = clients.iam();
        List<String> notes = new ArrayList<>();
        notes.add("IAM user " + user + " (made by hand) owns the access key the hosts hold: it is the fleet's seal user, "
                + "taken over (no second user is made)");
        List<Judged> policies = new ArrayList<>();
        String account = AwsReader.call("iam:GetUser", () -> iam.getUser(r -> r.userName(user))).user().arn().split(":")[4];
        for (var attached : AwsReader.call("iam:ListAttachedUserPolicies",
                () -> iam.listAttachedUserPolicies(r -> r.userName(user))).attachedPolicies()) {
            var policy = AwsReader.call("iam:GetPolicy", () -> iam.getPolicy(r -> r.policyArn(attached.policyArn()))).policy();
            String document = SealPolicyDocument.decode(AwsReader.call("iam:GetPolicyVersion", () -> iam.getPolicyVersion(
                    r -> r.policyArn(attached.policyArn()).versionId(policy.defaultVersionId()))).policyVersion().document());
            policies.add(new Judged(attached.policyName(), attached.policyArn(), false, document));
        }
        for (String inline : AwsReader.call("iam:ListUserPolicies", () -> iam.listUserPolicies(r -> r.userName(user))).policyNames()) {
            String document = SealPolicyDocument.decode(AwsReader.call("iam:GetUserPolicy",
                    () -> iam.getUserPolicy(r -> r.userName(user).policyName(inline))).policyDocument());
            policies.add(new Judged(inline, inline, true, document));
        }
        Optional<Judged> kept = keyArn.flatMap(arn -> policies.stream()
                .filter(p -> SealPolicyDocument.grantsExactly(p.document(), arn)).findFirst());
        SealResources adopted = new SealResources(names.alias(), names.keyDescription(), user,
                kept.map(Judged::name).orElse(names.policyName()), kept.map(Judged::inline).orElse(names.inlinePolicy()),
                names.exclusive(), names.tags());
        kept.ifPresent(p -> notes.add((p.inline() ? "inline policy " : "policy ") + p.arn() + " (made by hand) grants exactly "
                + "kms:Encrypt, kms:Decrypt, kms:DescribeKey on the key: kept as the seal policy"));
        List<AwsChange> changes = new ArrayList<>();
        Set<String> replaced = new LinkedHashSet<>();
        for (Judged policy : policies) {
            if (kept.filter(policy::equals).isPresent() || !policy.grantsKms() || keyArn.isEmpty()
                    || !policy.inline() && policy.arn().equals("arn:aws:iam::" + account + ":policy/" + adopted.policyName())) {
                continue;
            }
            changes.add(policy.inline() ? new AwsChange.DeleteInlinePolicy(user, policy.name())
                    : new AwsChange.DetachPolicy(user, policy.arn()));
            replaced.add(policy.arn());
            notes.add((policy.inline() ? "inline policy " : "policy ") + policy.arn() + " (made by hand) grants KMS more than "
                    + "least privilege: replaced by " + adopted.policyName() + " (" + (policy.inline() ? "deleted" : "detached")
                    + " once that one is attached)");
        }
        return new ExistingUserAdoption(adopted, List.copyOf(changes), List.copyOf(notes), Set.copyOf(replaced));
    }

    private record Judged(String name, String arn, boolean inline, String document) {
        boolean grantsKms() {
            return document.contains("\"kms:") || document.contains("\"*\"");
        }
    }
}

package io.vaultcfg.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/** Desired state of the seed's resources versus what AWS holds: the list of writes, or a reason to stop. */
public final class AwsPlanner {
    private AwsPlanner() {
    }

    /**
     * @param fleet      every host of the play: what each holds, its seal stanza, or why it was not read
     * @param resolveArn a key id, alias or ARN in {@code region} to its key ARN (a read)
     */
    public static AwsPlan plan(AwsState state, SealResources names, String region, List<FleetMember> fleet,
                               Predicate<HeldCredentials> verifies, Function<String, Optional<String>> resolveArn) {
        return plan(state, names, region, fleet, verifies, resolveArn, KeyRotation.none());
    }

    /** @param rotation a rotation of the access key asked for, and the grace period of a deactivated key */
    public static AwsPlan plan(AwsState state, SealResources names, String region, List<FleetMember> fleet,
                               Predicate<HeldCredentials> verifies, Function<String, Optional<String>> resolveArn,
                               KeyRotation rotation) {
        List<AwsChange> changes = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        Optional<String> stop = planKey(state, names, region, changes);
        if (stop.isPresent()) {
            return new AwsPlan(state, names, List.of(), notes, stop, Optional.empty());
        }
        planUser(state, names, changes);
        planPolicy(state, names, changes, notes);
        boolean rewritesPolicy = changes.stream().anyMatch(c -> c instanceof AwsChange.RestorePolicy)
                || changes.stream().anyMatch(c -> c instanceof AwsChange.PutInlinePolicy)
                && state.user().flatMap(AwsState.User::inlineSealDocument).isPresent();
        Optional<String> sealChange = SealChangeGuard.check(fleet, state.key(), region, names, state.account(),
                rewritesPolicy, resolveArn);
        if (sealChange.isPresent()) {
            return new AwsPlan(state, names, List.of(), notes, sealChange, Optional.empty());
        }

        List<AwsState.AccessKey> keys = state.user().map(AwsState.User::accessKeys).orElse(List.of());
        AccessKeyTags tags = state.user().map(u -> AccessKeyTags.of(u.tags())).orElse(AccessKeyTags.none());
        Predicate<HeldCredentials> verifiable = state.key().isPresent() ? verifies : pair -> false;
        AccessKeyResolver.Resolution keyPlan = AccessKeyResolver.resolve(names.userName(), keys, tags, fleet, verifiable,
                rotation);
        notes.addAll(keyPlan.notes());
        if (keyPlan.stop().isPresent()) {
            return new AwsPlan(state, names, List.of(), notes, keyPlan.stop(), Optional.empty());
        }
        changes.addAll(keyPlan.changes());
        if (keyPlan.create()) {
            changes.add(new AwsChange.CreateAccessKey(names.userName()));
        }
        return new AwsPlan(state, names, List.copyOf(changes), List.copyOf(notes), Optional.empty(), keyPlan.reuse());
    }

    private static Optional<String> planKey(AwsState state, SealResources names, String region, List<AwsChange> changes) {
        if (state.key().isEmpty()) {
            changes.add(new AwsChange.CreateKey(names.keyDescription()));
            changes.add(new AwsChange.CreateAlias(names.alias()));
            return Optional.empty();
        }
        AwsState.Key key = state.key().get();
        String fix = " --key-id " + key.keyId() + " --region " + key.region();
        switch (key.state()) {
            case "Enabled":
                break;
            case "Disabled":
                return Optional.of(names.alias() + " points at KMS key " + key.keyId()
                        + ", which is disabled; Vault could not unseal with it. Re-enable it: aws kms enable-key" + fix);
            case "PendingDeletion":
                return Optional.of(names.alias() + " points at KMS key " + key.keyId()
                        + ", which is pending deletion. Cancel it, then re-enable it: aws kms cancel-key-deletion" + fix
                        + " && aws kms enable-key" + fix);
            default:
                return Optional.of(names.alias() + " points at KMS key " + key.keyId() + " in state " + key.state()
                        + "; vaultcfg only uses Enabled keys");
        }
        if (!key.region().equals(region)) {
            return Optional.of("region mismatch: KMS key " + key.keyId() + " is in " + key.region()
                    + " but Vault is configured for " + region + " (seal stanza and vault.env must name the key's region)");
        }
        if (!key.keySpec().equals("SYMMETRIC_DEFAULT") || !key.keyUsage().equals("ENCRYPT_DECRYPT")) {
            return Optional.of(names.alias() + " points at a " + key.keySpec() + "/" + key.keyUsage()
                    + " key; the awskms seal needs a symmetric ENCRYPT_DECRYPT key");
        }
        if (!key.rotationEnabled()) {
            changes.add(new AwsChange.EnableRotation(key.keyId()));
        }
        return Optional.empty();
    }

    private static void planUser(AwsState state, SealResources names, List<AwsChange> changes) {
        if (state.user().isEmpty()) {
            changes.add(new AwsChange.CreateUser(names.userName()));
        } else if (state.user().get().hasLoginProfile()) {
            changes.add(new AwsChange.DeleteLoginProfile(names.userName()));
        }
    }

    private static void planPolicy(AwsState state, SealResources names, List<AwsChange> changes, List<String> notes) {
        String keyArn = state.key().map(AwsState.Key::arn).orElse(null);
        Optional<AwsState.User> user = state.user();
        if (names.inlinePolicy()) {
            boolean exact = keyArn != null && user.flatMap(AwsState.User::inlineSealDocument)
                    .filter(doc -> SealPolicyDocument.grantsExactly(doc, keyArn)).isPresent();
            if (!exact) {
                changes.add(new AwsChange.PutInlinePolicy(names.userName(), names.policyName()));
            }
        } else {
            Optional<AwsState.Policy> policy = state.policy();
            if (policy.isEmpty()) {
                changes.add(new AwsChange.CreatePolicy(names.policyName()));
            } else if (keyArn == null || !SealPolicyDocument.grantsExactly(policy.get().document(), keyArn)) {
                List<AwsState.Version> versions = policy.get().versions();
                Optional<String> oldest = versions.size() >= 5
                        ? versions.stream().filter(v -> !v.isDefault()).map(AwsState.Version::id).findFirst()
                        : Optional.empty();
                changes.add(new AwsChange.RestorePolicy(policy.get().arn(), oldest));
            }
            boolean attached = user.map(u -> u.attached().stream().anyMatch(p -> p.name().equals(names.policyName()))).orElse(false);
            if (!attached) {
                changes.add(new AwsChange.AttachPolicy(names.userName(), names.policyName()));
            }
        }
        user.ifPresent(u -> {
            for (AwsState.AttachedPolicy other : u.attached()) {
                if (!names.inlinePolicy() && other.name().equals(names.policyName())) {
                    continue;
                }
                if (names.exclusive()) {
                    changes.add(new AwsChange.DetachPolicy(u.name(), other.arn()));
                } else {
                    notes.add("IAM user " + u.name() + " also has policy " + other.arn() + " attached (use exclusive: true to detach it)");
                }
            }
            for (String inline : u.inline()) {
                if (names.inlinePolicy() && inline.equals(names.policyName())) {
                    continue;
                }
                if (names.exclusive()) {
                    changes.add(new AwsChange.DeleteInlinePolicy(u.name(), inline));
                } else {
                    notes.add("IAM user " + u.name() + " also has inline policy " + inline + " (use exclusive: true to delete it)");
                }
            }
        });
    }
}

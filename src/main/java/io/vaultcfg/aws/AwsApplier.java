package io.vaultcfg.aws;

import static io.vaultcfg.aws.AwsReader.call;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * Carries out an {@link AwsPlan}'s writes, in order. The new secret stays in memory. A write naming a user
 * or policy made earlier in the same run is retried while IAM answers NoSuchEntity ({@link IamPropagation}).
 */
public final class AwsApplier {
    private final AwsClients clients;
    private final java.util.function.Consumer<String> secretSink;
    private final IamPropagation propagation;
    /** "IAM user NAME" and "IAM policy ARN" of what this applier created. */
    private final Set<String> created = new HashSet<>();

    /** @param secretSink told about a new secret the moment it exists (the redactor), before anything can print it */
    public AwsApplier(AwsClients clients, java.util.function.Consumer<String> secretSink) {
        this(clients, secretSink, IamPropagation.DEFAULT);
    }

    public AwsApplier(AwsClients clients, java.util.function.Consumer<String> secretSink, IamPropagation propagation) {
        this.clients = clients;
        this.secretSink = secretSink;
        this.propagation = propagation;
    }

    /** What the hosts need once AWS is in place. */
    public record Applied(String keyId, String keyArn, HeldCredentials credentials, boolean newKey, List<String> done) {
    }

    public Applied apply(AwsPlan plan) {
        List<String> done = new ArrayList<>();
        try {
            return applyInOrder(plan, done);
        } catch (AwsReader.NotFoundFlag | AwsFailure e) {
            String failed = done.size() < plan.changes().size() ? plan.changes().get(done.size()).describe() : "finish the AWS changes";
            throw AppliedSoFar.failure(failed, e.getMessage(), done);
        }
    }

    /** {@code done} grows as each change is made, so a failure can say what is already in AWS. */
    private Applied applyInOrder(AwsPlan plan, List<String> done) {
        KmsClient kms = clients.kms();
        IamClient iam = clients.iam();
        SealResources names = plan.names();
        String keyId = plan.keyId().orElse(null);
        String keyArn = plan.keyArn().orElse(null);
        String policyArn = "arn:aws:iam::" + plan.state().account() + ":policy/" + names.policyName();
        HeldCredentials credentials = plan.reuse().orElse(null);
        for (AwsChange change : plan.changes()) {
            if (change instanceof AwsChange.CreateKey create) {
                KeyMetadata key = call("kms:CreateKey", () -> kms.createKey(r -> r.description(create.description())
                        .keySpec(KeySpec.SYMMETRIC_DEFAULT).keyUsage(KeyUsageType.ENCRYPT_DECRYPT)
                        .tags(kmsTags(names.tags())))).keyMetadata();
                keyId = key.keyId();
                keyArn = key.arn();
                String id = keyId;
                call("kms:EnableKeyRotation", () -> kms.enableKeyRotation(r -> r.keyId(id)));
            } else if (change instanceof AwsChange.EnableRotation rotation) {
                call("kms:EnableKeyRotation", () -> kms.enableKeyRotation(r -> r.keyId(rotation.keyId())));
            } else if (change instanceof AwsChange.TagKey tag) {
                call("kms:TagResource", () -> kms.tagResource(r -> r.keyId(tag.keyId()).tags(kmsTags(tag.tags()))));
            } else if (change instanceof AwsChange.CreateAlias alias) {
                String id = keyId;
                call("kms:CreateAlias", () -> kms.createAlias(r -> r.aliasName(alias.alias()).targetKeyId(id)));
            } else if (change instanceof AwsChange.CreateUser user) {
                call("iam:CreateUser", () -> iam.createUser(r -> r.userName(user.name()).tags(iamTags(names.tags()))));
                created.add(user(user.name()));
            } else if (change instanceof AwsChange.DeleteLoginProfile login) {
                write("iam:DeleteLoginProfile", () -> iam.deleteLoginProfile(r -> r.userName(login.user())), user(login.user()));
            } else if (change instanceof AwsChange.CreatePolicy) {
                String document = SealPolicyDocument.forKey(keyArn);
                policyArn = call("iam:CreatePolicy", () -> iam.createPolicy(r -> r.policyName(names.policyName())
                        .policyDocument(document).description("Vault awskms auto-unseal: managed by vaultcfg"))).policy().arn();
                created.add(policy(policyArn));
            } else if (change instanceof AwsChange.RestorePolicy restore) {
                restore.deleteVersion().ifPresent(version -> call("iam:DeletePolicyVersion",
                        () -> iam.deletePolicyVersion(r -> r.policyArn(restore.arn()).versionId(version))));
                String document = SealPolicyDocument.forKey(keyArn);
                call("iam:CreatePolicyVersion", () -> iam.createPolicyVersion(r -> r.policyArn(restore.arn())
                        .policyDocument(document).setAsDefault(true)));
            } else if (change instanceof AwsChange.AttachPolicy attach) {
                String arn = policyArn;
                write("iam:AttachUserPolicy", () -> iam.attachUserPolicy(r -> r.userName(attach.user()).policyArn(arn)),
                        user(attach.user()), policy(arn));
            } else if (change instanceof AwsChange.DetachPolicy detach) {
                call("iam:DetachUserPolicy", () -> iam.detachUserPolicy(r -> r.userName(detach.user()).policyArn(detach.policyArn())));
            } else if (change instanceof AwsChange.PutInlinePolicy inline) {
                String document = SealPolicyDocument.forKey(keyArn);
                write("iam:PutUserPolicy", () -> iam.putUserPolicy(r -> r.userName(inline.user()).policyName(inline.name())
                        .policyDocument(document)), user(inline.user()));
            } else if (change instanceof AwsChange.DeleteInlinePolicy inline) {
                call("iam:DeleteUserPolicy", () -> iam.deleteUserPolicy(r -> r.userName(inline.user()).policyName(inline.name())));
            } else if (change instanceof AwsChange.DeactivateAccessKey deactivate) {
                deactivate(deactivate.user(), deactivate.accessKeyId());
            } else if (change instanceof AwsChange.DeleteAccessKey delete) {
                call("iam:DeleteAccessKey", () -> iam.deleteAccessKey(r -> r.userName(delete.user()).accessKeyId(delete.accessKeyId())));
                untagUser(delete.user(), delete.tagKeys());
            } else if (change instanceof AwsChange.TagUser tag) {
                tagUser(tag.user(), tag.tags());
            } else if (change instanceof AwsChange.UntagUser untag) {
                untagUser(untag.user(), untag.tagKeys());
            } else if (change instanceof AwsChange.CreateAccessKey create) {
                AccessKey key = write("iam:CreateAccessKey", () -> iam.createAccessKey(r -> r.userName(create.user())),
                        user(create.user())).accessKey();
                secretSink.accept(key.secretAccessKey());
                credentials = new HeldCredentials(key.accessKeyId(), key.secretAccessKey());
                // Until a host is known to hold it: a run cut off here leaves a key the next run may delete.
                tagUser(create.user(), Map.of(AccessKeyTags.UNDELIVERED_PREFIX + key.accessKeyId(), now()));
            }
            done.add(change.describe());
        }
        boolean newKey = plan.changes().stream().anyMatch(c -> c instanceof AwsChange.CreateAccessKey);
        return new Applied(keyId, keyArn, credentials, newKey, done);
    }

    /** After the hosts ran: the new key reached at least one host, so it is the fleet's. */
    public void recordDelivered(String user, String accessKeyId) {
        tagUser(user, Map.of(AccessKeyTags.IN_USE, accessKeyId));
        untagUser(user, java.util.Set.of(AccessKeyTags.UNDELIVERED_PREFIX + accessKeyId));
    }

    /**
     * Makes the key Inactive, the time recorded first: a run cut off in between leaves an active key tagged, which the
     * next run deactivates again, never an inactive key without the time its grace period counts from.
     */
    public void deactivate(String user, String accessKeyId) {
        tagUser(user, Map.of(AccessKeyTags.DEACTIVATED_PREFIX + accessKeyId, now()));
        call("iam:UpdateAccessKey", () -> clients.iam().updateAccessKey(r -> r.userName(user)
                .accessKeyId(accessKeyId).status(StatusType.INACTIVE)));
    }

    /** After the hosts ran: no host holds the new key, whose secret is now lost with this run. */
    public void deleteUndelivered(String user, String accessKeyId) {
        call("iam:DeleteAccessKey", () -> clients.iam().deleteAccessKey(r -> r.userName(user).accessKeyId(accessKeyId)));
        untagUser(user, java.util.Set.of(AccessKeyTags.UNDELIVERED_PREFIX + accessKeyId));
    }

    private void tagUser(String user, Map<String, String> tags) {
        write("iam:TagUser", () -> clients.iam().tagUser(r -> r.userName(user).tags(iamTags(tags))), user(user));
    }

    private void untagUser(String user, java.util.Set<String> keys) {
        if (!keys.isEmpty()) {
            write("iam:UntagUser", () -> clients.iam().untagUser(r -> r.userName(user).tagKeys(keys)), user(user));
        }
    }

    /** A write naming these entities; retried while IAM propagates the first of them that this run created. */
    private <T> T write(String action, Supplier<T> request, String... entities) {
        for (String entity : entities) {
            if (created.contains(entity)) {
                return propagation.call(action, entity, request);
            }
        }
        return call(action, request);
    }

    private static String user(String name) {
        return "IAM user " + name;
    }

    private static String policy(String arn) {
        return "IAM policy " + arn;
    }

    private static String now() {
        return java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static List<software.amazon.awssdk.services.kms.model.Tag> kmsTags(Map<String, String> tags) {
        return tags.entrySet().stream()
                .map(e -> software.amazon.awssdk.services.kms.model.Tag.builder().tagKey(e.getKey()).tagValue(e.getValue()).build())
                .toList();
    }

    private static List<software.amazon.awssdk.services.iam.model.Tag> iamTags(Map<String, String> tags) {
        return tags.entrySet().stream()
                .map(e -> software.amazon.awssdk.services.iam.model.Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }

}

package io.vaultcfg.aws;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** Reads the seal's AWS resources. Only Describe/Get/List calls: safe in check mode. */
public final class AwsReader {
    private final AwsClients clients;
    private final Executor parallel;

    /** Reads one after another. */
    public AwsReader(AwsClients clients) {
        this(clients, Runnable::run);
    }

    /** @param parallel runs the independent reads side by side (the runner's executor; {@code Runnable::run} for none) */
    public AwsReader(AwsClients clients, Executor parallel) {
        this.clients = clients;
        this.parallel = parallel;
    }

    /** The key, the user and the account (then the managed policy) are read side by side. */
    public AwsState read(SealResources names) {
        CompletableFuture<Optional<AwsState.Key>> key = async(() -> key(names.alias()));
        CompletableFuture<Optional<AwsState.User>> user = async(() -> user(names));
        GetCallerIdentityResponse caller = call("sts:GetCallerIdentity", () -> clients.sts().getCallerIdentity());
        Optional<AwsState.Policy> policy = names.inlinePolicy()
                ? Optional.empty()
                : policy("arn:aws:iam::" + caller.account() + ":policy/" + names.policyName());
        return new AwsState(caller.account(), caller.arn(), result(key), result(user), policy);
    }

    private <T> CompletableFuture<T> async(java.util.function.Supplier<T> read) {
        return CompletableFuture.supplyAsync(read, parallel);
    }

    private static <T> T result(CompletableFuture<T> read) {
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new AwsFailure(String.valueOf(e.getCause()));
        }
    }

    /** The ARN of a key named by id, alias or ARN in the clients' region; empty when there is none. */
    public Optional<String> keyArn(String keyIdOrAlias) {
        try {
            return Optional.of(call("kms:DescribeKey", () -> clients.kms().describeKey(r -> r.keyId(keyIdOrAlias))).keyMetadata().arn());
        } catch (NotFoundFlag e) {
            return Optional.empty();
        }
    }

    /** The key a stanza names by id, ARN or alias, as {@link AwsState.Key}; empty when there is none. */
    public Optional<AwsState.Key> keyNamed(String keyIdArnOrAlias) {
        return key(keyIdArnOrAlias);
    }

    private Optional<AwsState.Key> key(String alias) {
        KmsClient kms = clients.kms();
        KeyMetadata metadata;
        try {
            metadata = call("kms:DescribeKey", () -> kms.describeKey(r -> r.keyId(alias))).keyMetadata();
        } catch (NotFoundFlag e) {
            return Optional.empty();
        }
        boolean rotation = metadata.keyStateAsString().equals("Enabled")
                && call("kms:GetKeyRotationStatus", () -> kms.getKeyRotationStatus(r -> r.keyId(metadata.keyId()))).keyRotationEnabled();
        return Optional.of(new AwsState.Key(metadata.keyId(), metadata.arn(), metadata.keyStateAsString(), rotation,
                String.valueOf(metadata.keySpecAsString()), String.valueOf(metadata.keyUsageAsString())));
    }

    private Optional<AwsState.User> user(SealResources names) {
        IamClient iam = clients.iam();
        String name = names.userName();
        software.amazon.awssdk.services.iam.model.User user;
        try {
            user = call("iam:GetUser", () -> iam.getUser(r -> r.userName(name))).user();
        } catch (NotFoundFlag e) {
            return Optional.empty();
        }
        // the user's other reads are independent of each other: side by side (in this order when read one after another)
        CompletableFuture<Boolean> loginProfile = async(() -> {
            try {
                call("iam:GetLoginProfile", () -> iam.getLoginProfile(r -> r.userName(name)));
                return true;
            } catch (NotFoundFlag e) {
                return false;
            }
        });
        CompletableFuture<List<AwsState.AccessKey>> keys = async(() -> call("iam:ListAccessKeys",
                () -> iam.listAccessKeys(r -> r.userName(name))).accessKeyMetadata().stream()
                .map(key -> new AwsState.AccessKey(key.accessKeyId(), key.statusAsString(), key.createDate())).toList());
        CompletableFuture<List<AwsState.AttachedPolicy>> attached = async(() -> call("iam:ListAttachedUserPolicies",
                () -> iam.listAttachedUserPolicies(r -> r.userName(name))).attachedPolicies().stream()
                .map(policy -> new AwsState.AttachedPolicy(policy.policyName(), policy.policyArn())).toList());
        CompletableFuture<List<String>> inline = async(() -> List.copyOf(
                call("iam:ListUserPolicies", () -> iam.listUserPolicies(r -> r.userName(name))).policyNames()));
        CompletableFuture<Optional<String>> inlineDocument = inline.thenApplyAsync(names.inlinePolicy() ? policies ->
                policies.contains(names.policyName())
                        ? Optional.of(SealPolicyDocument.decode(call("iam:GetUserPolicy",
                                () -> iam.getUserPolicy(r -> r.userName(name).policyName(names.policyName()))).policyDocument()))
                        : Optional.<String>empty()
                : policies -> Optional.<String>empty(), parallel);
        // GetUser's answer carries the user's tags (all of them: a user has at most 50); without any there, they are
        // asked for, so that an answer that leaves them out can never hide another fleet's tag
        CompletableFuture<Map<String, String>> tags = user.hasTags() && !user.tags().isEmpty()
                ? CompletableFuture.completedFuture(tagMap(user.tags()))
                : async(() -> tagMap(call("iam:ListUserTags", () -> iam.listUserTags(r -> r.userName(name))).tags()));
        return Optional.of(new AwsState.User(name, user.arn(), result(loginProfile), result(keys), result(attached),
                result(inline), result(inlineDocument), result(tags)));
    }

    private static Map<String, String> tagMap(List<software.amazon.awssdk.services.iam.model.Tag> tags) {
        Map<String, String> found = new LinkedHashMap<>();
        tags.forEach(tag -> found.put(tag.key(), tag.value()));
        return Map.copyOf(found);
    }

    private Optional<AwsState.Policy> policy(String arn) {
        IamClient iam = clients.iam();
        software.amazon.awssdk.services.iam.model.Policy policy;
        try {
            policy = call("iam:GetPolicy", () -> iam.getPolicy(r -> r.policyArn(arn))).policy();
        } catch (NotFoundFlag e) {
            return Optional.empty();
        }
        CompletableFuture<String> document = async(() -> SealPolicyDocument.decode(call("iam:GetPolicyVersion",
                () -> iam.getPolicyVersion(r -> r.policyArn(arn).versionId(policy.defaultVersionId()))).policyVersion().document()));
        CompletableFuture<List<AwsState.Version>> versions = async(() -> call("iam:ListPolicyVersions",
                () -> iam.listPolicyVersions(r -> r.policyArn(arn))).versions().stream()
                .map(version -> new AwsState.Version(version.versionId(), Boolean.TRUE.equals(version.isDefaultVersion()), version.createDate()))
                .sorted(Comparator.comparing(AwsState.Version::created)).toList());
        return Optional.of(new AwsState.Policy(arn, policy.defaultVersionId(), result(document), result(versions)));
    }

    /** Runs one read; "does not exist" becomes {@link NotFoundFlag}, anything else an {@link AwsFailure}. */
    static <T> T call(String action, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (NotFoundException | NoSuchEntityException e) {
            throw new NotFoundFlag(AwsFailure.of(action, e).getMessage());
        } catch (SdkException e) {
            throw AwsFailure.of(action, e);
        }
    }

    /**
     * Control flow for "not found", which is an ordinary answer when reading. Its message names the
     * call and AWS's answer, for the writes where "not found" is a failure.
     */
    static final class NotFoundFlag extends RuntimeException {
        NotFoundFlag(String message) {
            super(message, null, false, false);
        }
    }
}

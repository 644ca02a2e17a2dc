package io.vaultcfg.aws;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What exists in AWS for the seal, as read (only reads) at the start of a run. */
public record AwsState(
        String account,
        String callerArn,
        Optional<Key> key,
        Optional<User> user,
        Optional<Policy> policy) {

    /** The KMS key the alias points at. {@code state} is Enabled, Disabled, PendingDeletion, ... */
    public record Key(String keyId, String arn, String state, boolean rotationEnabled, String keySpec, String keyUsage) {
        public String region() {
            return arn.split(":")[3];
        }
    }

    public record AccessKey(String id, String status, Instant created) {
        public boolean active() {
            return status.equals("Active");
        }
    }

    public record AttachedPolicy(String name, String arn) {
    }

    public record User(String name, String arn, boolean hasLoginProfile, List<AccessKey> accessKeys,
                       List<AttachedPolicy> attached, List<String> inline, Optional<String> inlineSealDocument,
                       Map<String, String> tags) {
    }

    /** The customer-managed seal policy, with its default version's document and all version ids. */
    public record Policy(String arn, String defaultVersion, String document, List<Version> versions) {
    }

    public record Version(String id, boolean isDefault, Instant created) {
    }
}

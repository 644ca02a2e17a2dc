package io.vaultcfg.aws;

import java.util.Optional;

/** One write vaultcfg will make in AWS, as shown in the plan. */
public sealed interface AwsChange {
    String describe();

    record CreateKey(String description) implements AwsChange {
        public String describe() {
            return "create KMS key (symmetric, ENCRYPT_DECRYPT, rotation on): its ARN is set by AWS when it is created";
        }
    }

    record EnableRotation(String keyId) implements AwsChange {
        public String describe() {
            return "turn key rotation back on for " + keyId + " (it was off)";
        }
    }

    record CreateAlias(String alias) implements AwsChange {
        public String describe() {
            return "create alias " + alias;
        }
    }

    record CreateUser(String name) implements AwsChange {
        public String describe() {
            return "create IAM user " + name + " (programmatic access only)";
        }
    }

    record DeleteLoginProfile(String user) implements AwsChange {
        public String describe() {
            return "remove console login of IAM user " + user + " (the seal user is programmatic only)";
        }
    }

    record CreatePolicy(String name) implements AwsChange {
        public String describe() {
            return "create policy " + name + ": kms:Encrypt, kms:Decrypt, kms:DescribeKey on the key only";
        }
    }

    record RestorePolicy(String arn, Optional<String> deleteVersion) implements AwsChange {
        public String describe() {
            return "restore least-privilege document of " + arn + " as new default version"
                    + deleteVersion.map(v -> " (deleting oldest version " + v + ", 5 is the limit)").orElse("");
        }
    }

    record AttachPolicy(String user, String policyName) implements AwsChange {
        public String describe() {
            return "attach policy " + policyName + " to " + user;
        }
    }

    record DetachPolicy(String user, String policyArn) implements AwsChange {
        public String describe() {
            return "detach " + policyArn + " from " + user + " (exclusive)";
        }
    }

    record PutInlinePolicy(String user, String name) implements AwsChange {
        public String describe() {
            return "put inline policy " + name + " on " + user + ": kms:Encrypt, kms:Decrypt, kms:DescribeKey on the key only";
        }
    }

    record DeleteInlinePolicy(String user, String name) implements AwsChange {
        public String describe() {
            return "delete inline policy " + name + " of " + user + " (exclusive)";
        }
    }

    /** Also tags the new key as undelivered on the user until a host is known to hold it. */
    record CreateAccessKey(String user) implements AwsChange {
        public String describe() {
            return "create access key for " + user + ": id and secret are set by AWS when it is created (secret kept in memory only)";
        }
    }

    /** First half of retiring a key; also records on the user when it was deactivated. */
    record DeactivateAccessKey(String user, String accessKeyId, String why) implements AwsChange {
        public String describe() {
            return "deactivate access key " + accessKeyId + " of " + user + " (" + why + "); a later run deletes it";
        }
    }

    /** Also removes the user's tags that name the key. */
    record DeleteAccessKey(String user, String accessKeyId, String why, java.util.Set<String> tagKeys) implements AwsChange {
        public String describe() {
            return "delete access key " + accessKeyId + " of " + user + " (" + why + ")";
        }
    }

    record TagUser(String user, java.util.Map<String, String> tags, String why) implements AwsChange {
        public String describe() {
            return "tag IAM user " + user + ": " + why;
        }
    }

    record UntagUser(String user, java.util.Set<String> tagKeys, String why) implements AwsChange {
        public String describe() {
            return "untag IAM user " + user + ": " + why;
        }
    }

    /** Tags a key vaultcfg took over (one it creates is tagged at creation). */
    record TagKey(String keyId, java.util.Map<String, String> tags) implements AwsChange {
        public String describe() {
            return "tag KMS key " + keyId + ": " + String.join(", ", new java.util.TreeMap<>(tags).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
    }
}

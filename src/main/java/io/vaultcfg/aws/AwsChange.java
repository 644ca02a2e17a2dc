package io.vaultcfg.aws;

import java.util.Optional;

/** One write vaultcfg will make in AWS, as shown in the plan. */
public sealed interface AwsChange {
    String describe();

    record CreateKey(String description) implements AwsChange {
        public String describe() {
            return "create KMS key (symmetric, ENCRYPT_DECRYPT, rotation on): key ARN known after apply";
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

    record TagUser(String user, String key, String value) implements AwsChange {
        public String describe() {
            return "tag IAM user " + user + " " + key + "=" + value + " (the fleet it serves)";
        }
    }

    record CreateAccessKey(String user, Optional<String> deleteFirst) implements AwsChange {
        public String describe() {
            return deleteFirst.map(id -> "delete unused access key " + id + ", then ").orElse("")
                    + "create access key for " + user + ": id and secret known after apply (secret kept in memory only)";
        }
    }
}

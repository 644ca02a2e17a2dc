package io.vaultcfg.aws.emulator.state;

import java.time.Instant;

/** A long-term access key of an IAM user. */
public record AccessKey(String accessKeyId, String secretAccessKey, String userName, boolean active, Instant created,
                        KeyUsage lastUsed) {

    public AccessKey withActive(boolean isActive) {
        return new AccessKey(accessKeyId, secretAccessKey, userName, isActive, created, lastUsed);
    }

    public AccessKey withLastUsed(KeyUsage usage) {
        return new AccessKey(accessKeyId, secretAccessKey, userName, active, created, usage);
    }

    /** Deliberately leaves the secret out, so an accidental log line cannot leak it. */
    @Override
    public String toString() {
        return "AccessKey[" + accessKeyId + ", user=" + userName + ", active=" + active + "]";
    }
}

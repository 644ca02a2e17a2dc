package io.vaultcfg.aws.emulator.state;

/** An access key id and its secret. {@link #toString()} never shows the secret. */
public record AccessKeyPair(String accessKeyId, String secretAccessKey) {
    @Override
    public String toString() {
        return "AccessKeyPair[" + accessKeyId + "]";
    }
}

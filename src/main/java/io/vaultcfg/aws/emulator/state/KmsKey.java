package io.vaultcfg.aws.emulator.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A symmetric KMS key. {@code keyMaterial} holds one AES-256 key per backing-key version (index 0 = version 1),
 * so ciphertexts made before a rotation still decrypt.
 */
public record KmsKey(String keyId, String arn, String region, Instant created, String description, KeyState state,
                     boolean rotationEnabled, int rotationPeriodDays, List<byte[]> keyMaterial, String policy,
                     Map<String, String> tags, Instant deletionDate, Integer pendingWindowDays) {

    public KmsKey {
        keyMaterial = Collections2.listCopy(keyMaterial);
        tags = Collections2.orderedCopy(tags);
    }

    public int currentVersion() {
        return keyMaterial.size();
    }

    public byte[] material(int version) {
        return version >= 1 && version <= keyMaterial.size() ? keyMaterial.get(version - 1) : null;
    }

    public KmsKey withState(KeyState newState) {
        return new KmsKey(keyId, arn, region, created, description, newState, rotationEnabled, rotationPeriodDays,
                keyMaterial, policy, tags, newState == KeyState.PendingDeletion ? deletionDate : null,
                newState == KeyState.PendingDeletion ? pendingWindowDays : null);
    }

    public KmsKey withPendingDeletion(Instant when, int windowDays) {
        return new KmsKey(keyId, arn, region, created, description, KeyState.PendingDeletion, rotationEnabled,
                rotationPeriodDays, keyMaterial, policy, tags, when, windowDays);
    }

    public KmsKey withDescription(String newDescription) {
        return new KmsKey(keyId, arn, region, created, newDescription, state, rotationEnabled, rotationPeriodDays,
                keyMaterial, policy, tags, deletionDate, pendingWindowDays);
    }

    public KmsKey withRotation(boolean enabled, int periodDays) {
        return new KmsKey(keyId, arn, region, created, description, state, enabled, periodDays,
                keyMaterial, policy, tags, deletionDate, pendingWindowDays);
    }

    public KmsKey withPolicy(String newPolicy) {
        return new KmsKey(keyId, arn, region, created, description, state, rotationEnabled, rotationPeriodDays,
                keyMaterial, newPolicy, tags, deletionDate, pendingWindowDays);
    }

    public KmsKey withTags(Map<String, String> newTags) {
        return new KmsKey(keyId, arn, region, created, description, state, rotationEnabled, rotationPeriodDays,
                keyMaterial, policy, newTags, deletionDate, pendingWindowDays);
    }
}

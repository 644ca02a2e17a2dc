package io.vaultcfg.aws.emulator.kms;

import io.vaultcfg.aws.emulator.http.AwsServiceException;
import io.vaultcfg.aws.emulator.http.JsonParams;
import io.vaultcfg.aws.emulator.state.EmulatorState;
import io.vaultcfg.aws.emulator.state.KmsAlias;
import io.vaultcfg.aws.emulator.state.KmsKey;

import java.util.regex.Pattern;

/**
 * Resolves the four ways to name a key (id, key ARN, alias name, alias ARN) to the key, with KMS's errors. Keys and
 * aliases belong to one region: a call signed for another region does not find them, as a regional KMS endpoint
 * does not.
 */
final class KeyResolver {
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final EmulatorState state;

    KeyResolver(EmulatorState state) {
        this.state = state;
    }

    /** Accepts key id, key ARN, alias name or alias ARN, in the caller's region. */
    KmsKey resolve(String reference, String region) {
        if (reference.startsWith("arn:")) {
            String[] parts = reference.split(":", 6);
            if (parts.length != 6 || !parts[2].equals("kms") || !parts[4].equals(state.accountId())) {
                throw notFound("Invalid arn " + reference);
            }
            if (!parts[3].equals(region)) {
                throw notFound("Invalid arn " + parts[3]);
            }
            if (parts[5].startsWith("alias/")) {
                return byAlias(parts[5], region);
            }
            if (parts[5].startsWith("key/")) {
                return byKeyId(parts[5].substring(4), region);
            }
            throw notFound("Invalid arn " + reference);
        }
        if (reference.startsWith("alias/")) {
            return byAlias(reference, region);
        }
        return byKeyId(reference, region);
    }

    /** Accepts only key id or key ARN (CreateAlias/UpdateAlias targets). */
    KmsKey resolveKeyOnly(String reference, String region) {
        if (reference.startsWith("alias/") || reference.contains(":alias/")) {
            throw JsonParams.validation("Value '" + reference + "' at 'targetKeyId' failed to satisfy constraint: "
                    + "Aliases must refer to keys. Not aliases");
        }
        return resolve(reference, region);
    }

    KmsKey byKeyId(String keyId, String region) {
        if (!UUID.matcher(keyId).matches()) {
            throw notFound("Invalid keyId " + keyId);
        }
        KmsKey key = inRegion(keyId, region);
        if (key == null) {
            throw notFound("Key '" + keyArn(region, keyId) + "' does not exist");
        }
        return key;
    }

    /** The key with this id when it lives in {@code region}, else null. */
    KmsKey inRegion(String keyId, String region) {
        KmsKey key = state.keys().get(keyId);
        return key != null && key.region().equals(region) ? key : null;
    }

    private KmsKey byAlias(String aliasName, String region) {
        KmsKey key = state.alias(region, aliasName).map(KmsAlias::targetKeyId).map(id -> inRegion(id, region))
                .orElse(null);
        if (key == null) {
            throw notFound("Alias " + aliasArn(region, aliasName) + " is not found.");
        }
        return key;
    }

    String keyArn(String region, String keyId) {
        return "arn:aws:kms:" + region + ":" + state.accountId() + ":key/" + keyId;
    }

    String aliasArn(String region, String aliasName) {
        return "arn:aws:kms:" + region + ":" + state.accountId() + ":" + aliasName;
    }

    static AwsServiceException notFound(String message) {
        return new AwsServiceException("NotFoundException", message, 400);
    }
}

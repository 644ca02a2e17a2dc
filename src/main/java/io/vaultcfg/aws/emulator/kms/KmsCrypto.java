package io.vaultcfg.aws.emulator.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcfg.aws.emulator.auth.AccessDeniedException;
import io.vaultcfg.aws.emulator.http.AwsServiceException;
import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.JsonParams;
import io.vaultcfg.aws.emulator.http.JsonProtocol;
import io.vaultcfg.aws.emulator.state.KmsKey;

import java.util.Map;

/**
 * Encrypt and Decrypt with real AES-256-GCM. Decrypt authorizes against the key named inside the ciphertext, and
 * only finds it in the region the key lives in.
 */
final class KmsCrypto {
    private final KmsSupport kms;

    KmsCrypto(KmsSupport kms) {
        this.kms = kms;
    }

    void register(Map<String, KmsHandler> routes) {
        routes.put("Encrypt", this::encrypt);
        routes.put("Decrypt", this::decrypt);
    }

    private JsonNode encrypt(CallContext call, JsonParams p) {
        String keyReference = p.requiredString("KeyId");
        byte[] plaintext = p.blob("Plaintext");
        if (plaintext == null) {
            throw JsonParams.missing("Plaintext");
        }
        KmsKey key = kms.keys.resolve(keyReference, call.region());
        Map<String, String> context = p.stringMap("EncryptionContext");
        kms.authorizeKey(call.caller(), "kms:Encrypt", key, context);
        if (plaintext.length < 1 || plaintext.length > 4096) {
            throw JsonParams.validation("Value at 'plaintext' failed to satisfy constraint: "
                    + "Member must have length less than or equal to 4096 and greater than or equal to 1");
        }
        requireSymmetricAlgorithm(p);
        kms.requireUsable(key);
        dryRun(p);
        byte[] blob = CiphertextFormat.encrypt(key.keyId(), key.currentVersion(), key.material(key.currentVersion()),
                plaintext, context);
        ObjectNode body = JsonProtocol.object();
        body.put("CiphertextBlob", blob);
        return body.put("KeyId", key.arn()).put("EncryptionAlgorithm", KmsSupport.SYMMETRIC_DEFAULT);
    }

    private JsonNode decrypt(CallContext call, JsonParams p) {
        byte[] blob = p.blob("CiphertextBlob");
        if (blob == null) {
            throw JsonParams.missing("CiphertextBlob");
        }
        if (blob.length < 1 || blob.length > 6144) {
            throw JsonParams.validation("Value at 'ciphertextBlob' failed to satisfy constraint: "
                    + "Member must have length less than or equal to 6144 and greater than or equal to 1");
        }
        CiphertextFormat.Parsed parsed = CiphertextFormat.parse(blob);
        if (parsed == null) {
            throw invalidCiphertext();
        }
        KmsKey key = kms.keys.inRegion(parsed.keyId(), call.region());
        if (key == null) {
            throw new AccessDeniedException("The ciphertext refers to a customer master key that does not exist, "
                    + "does not exist in this region, or you are not allowed to access.");
        }
        if (p.has("KeyId") && !kms.keys.resolve(p.requiredString("KeyId"), call.region()).keyId().equals(key.keyId())) {
            throw new AwsServiceException("IncorrectKeyException",
                    "The key ID in the request does not identify a CMK that can perform this operation.", 400);
        }
        Map<String, String> context = p.stringMap("EncryptionContext");
        kms.authorizeKey(call.caller(), "kms:Decrypt", key, context);
        requireSymmetricAlgorithm(p);
        kms.requireUsable(key);
        dryRun(p);
        byte[] material = key.material(parsed.keyVersion());
        byte[] plaintext = material == null ? null : CiphertextFormat.decrypt(parsed, material, context);
        if (plaintext == null) {
            throw invalidCiphertext();
        }
        ObjectNode body = JsonProtocol.object().put("KeyId", key.arn());
        body.put("Plaintext", plaintext);
        return body.put("EncryptionAlgorithm", KmsSupport.SYMMETRIC_DEFAULT);
    }

    private static void requireSymmetricAlgorithm(JsonParams p) {
        String algorithm = p.string("EncryptionAlgorithm");
        if (algorithm != null && !algorithm.equals(KmsSupport.SYMMETRIC_DEFAULT)) {
            throw new AwsServiceException("InvalidKeyUsageException",
                    "Encryption algorithm " + algorithm + " is not supported by a symmetric key.", 400);
        }
    }

    private static void dryRun(JsonParams p) {
        if (p.bool("DryRun")) {
            throw new AwsServiceException("DryRunOperationException",
                    "The request would have succeeded, but the DryRun option is set.", 400);
        }
    }

    private static AwsServiceException invalidCiphertext() {
        return new AwsServiceException("InvalidCiphertextException", "", 400);
    }
}

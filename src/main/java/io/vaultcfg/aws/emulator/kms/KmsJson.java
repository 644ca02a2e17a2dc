package io.vaultcfg.aws.emulator.kms;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcfg.aws.emulator.http.JsonProtocol;
import io.vaultcfg.aws.emulator.state.KeyState;
import io.vaultcfg.aws.emulator.state.KmsKey;

import java.math.BigDecimal;
import java.time.Instant;

/** Renders KMS shapes; timestamps are epoch seconds as JSON numbers, the awsJson convention. */
final class KmsJson {
    private KmsJson() {
    }

    static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    static ObjectNode keyMetadata(KmsKey key, String accountId) {
        ObjectNode m = JsonProtocol.object();
        m.put("AWSAccountId", accountId);
        m.put("KeyId", key.keyId());
        m.put("Arn", key.arn());
        m.put("CreationDate", epochSeconds(key.created()));
        m.put("Enabled", key.state() == KeyState.Enabled);
        m.put("Description", key.description());
        m.put("KeyUsage", "ENCRYPT_DECRYPT");
        m.put("KeyState", key.state().name());
        if (key.state() == KeyState.PendingDeletion) {
            m.put("DeletionDate", epochSeconds(key.deletionDate()));
            m.put("PendingDeletionWindowInDays", key.pendingWindowDays());
        }
        m.put("Origin", "AWS_KMS");
        m.put("KeyManager", "CUSTOMER");
        m.put("CustomerMasterKeySpec", "SYMMETRIC_DEFAULT");
        m.put("KeySpec", "SYMMETRIC_DEFAULT");
        m.putArray("EncryptionAlgorithms").add("SYMMETRIC_DEFAULT");
        m.put("MultiRegion", false);
        return m;
    }

    static ObjectNode keyMetadataResponse(KmsKey key, String accountId) {
        ObjectNode body = JsonProtocol.object();
        body.set("KeyMetadata", keyMetadata(key, accountId));
        return body;
    }

    static ArrayNode array() {
        return JsonProtocol.JSON.createArrayNode();
    }
}

package io.vaultcfg.aws.emulator.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcfg.aws.emulator.http.AwsServiceException;
import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.JsonParams;
import io.vaultcfg.aws.emulator.http.JsonProtocol;
import io.vaultcfg.aws.emulator.state.Ids;
import io.vaultcfg.aws.emulator.state.KeyState;
import io.vaultcfg.aws.emulator.state.KmsKey;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A key's life: creation in the caller's region, description, enable/disable, deletion, rotation settings. */
final class KmsKeys {
    private final KmsSupport kms;
    private final KmsKeyPolicies policies;

    KmsKeys(KmsSupport kms, KmsKeyPolicies policies) {
        this.kms = kms;
        this.policies = policies;
    }

    void register(Map<String, KmsHandler> routes) {
        routes.put("CreateKey", this::createKey);
        routes.put("DescribeKey", this::describeKey);
        routes.put("ListKeys", this::listKeys);
        routes.put("UpdateKeyDescription", this::updateKeyDescription);
        routes.put("DisableKey", (call, p) -> setEnabled(call, p, false));
        routes.put("EnableKey", (call, p) -> setEnabled(call, p, true));
        routes.put("ScheduleKeyDeletion", this::scheduleKeyDeletion);
        routes.put("CancelKeyDeletion", this::cancelKeyDeletion);
        routes.put("EnableKeyRotation", this::enableKeyRotation);
        routes.put("DisableKeyRotation", this::disableKeyRotation);
        routes.put("GetKeyRotationStatus", this::getKeyRotationStatus);
    }

    private JsonNode createKey(CallContext call, JsonParams p) {
        kms.authorizer.require(call.caller(), "kms:CreateKey", "*");
        String usage = p.string("KeyUsage");
        String spec = p.has("KeySpec") ? p.string("KeySpec") : p.string("CustomerMasterKeySpec");
        if (usage != null && !usage.equals("ENCRYPT_DECRYPT") || spec != null && !spec.equals(KmsSupport.SYMMETRIC_DEFAULT)) {
            throw new AwsServiceException("UnsupportedOperationException",
                    "This emulator supports only SYMMETRIC_DEFAULT keys with KeyUsage ENCRYPT_DECRYPT.", 400);
        }
        String origin = p.string("Origin");
        if (origin != null && !origin.equals("AWS_KMS")) {
            throw new AwsServiceException("UnsupportedOperationException", "This emulator supports only Origin AWS_KMS.", 400);
        }
        if (p.bool("MultiRegion")) {
            throw new AwsServiceException("UnsupportedOperationException", "This emulator does not support multi-Region keys.", 400);
        }
        String keyId = Ids.keyId();
        String arn = kms.keys.keyArn(call.region(), keyId);
        String policy = p.string("Policy");
        if (policy == null) {
            policy = policies.defaultKeyPolicy();
        } else {
            policies.validate(policy, call.caller(), arn, p.bool("BypassPolicyLockoutSafetyCheck"));
        }
        String description = p.string("Description");
        if (description != null && description.length() > 8192) {
            throw JsonParams.validation("Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192");
        }
        KmsKey key = new KmsKey(keyId, arn, call.region(), kms.clock.instant(), description == null ? "" : description,
                KeyState.Enabled, false, 365, List.of(Ids.aesKey()), policy, KmsTags.tags(p), null, null);
        kms.state.keys().put(keyId, key);
        kms.state.changed();
        return KmsJson.keyMetadataResponse(key, kms.state.accountId());
    }

    private JsonNode describeKey(CallContext call, JsonParams p) {
        KmsKey key = kms.keyFor(call, p, "DescribeKey");
        return KmsJson.keyMetadataResponse(key, kms.state.accountId());
    }

    private JsonNode listKeys(CallContext call, JsonParams p) {
        kms.authorizer.require(call.caller(), "kms:ListKeys", "*");
        List<KmsKey> inRegion = kms.state.keys().values().stream().filter(k -> k.region().equals(call.region())).toList();
        KmsPage<KmsKey> page = KmsPage.of(inRegion, p.integer("Limit"), p.string("Marker"));
        ObjectNode body = JsonProtocol.object();
        ArrayNode list = body.putArray("Keys");
        page.items().forEach(k -> list.addObject().put("KeyId", k.keyId()).put("KeyArn", k.arn()));
        return page.finish(body);
    }

    private JsonNode updateKeyDescription(CallContext call, JsonParams p) {
        KmsKey key = kms.keyFor(call, p, "UpdateKeyDescription");
        String description = p.string("Description");
        if (description == null) {
            throw JsonParams.missing("Description");
        }
        kms.replace(key.withDescription(description));
        return JsonProtocol.object();
    }

    private JsonNode setEnabled(CallContext call, JsonParams p, boolean enable) {
        KmsKey key = kms.keyFor(call, p, enable ? "EnableKey" : "DisableKey");
        kms.requireNotPendingDeletion(key);
        kms.replace(key.withState(enable ? KeyState.Enabled : KeyState.Disabled));
        return JsonProtocol.object();
    }

    private JsonNode scheduleKeyDeletion(CallContext call, JsonParams p) {
        KmsKey key = kms.keyFor(call, p, "ScheduleKeyDeletion");
        Integer window = p.integer("PendingWindowInDays");
        int days = window == null ? 30 : window;
        if (days < 7 || days > 30) {
            throw JsonParams.validation("Value '" + days + "' at 'PendingWindowInDays' failed to satisfy constraint: "
                    + "Member must have minimum value of 7 and maximum value of 30.");
        }
        kms.requireNotPendingDeletion(key);
        Instant deletionDate = kms.clock.instant().plus(Duration.ofDays(days));
        kms.replace(key.withPendingDeletion(deletionDate, days));
        ObjectNode body = JsonProtocol.object().put("KeyId", key.arn());
        body.put("DeletionDate", KmsJson.epochSeconds(deletionDate));
        return body.put("KeyState", KeyState.PendingDeletion.name()).put("PendingWindowInDays", days);
    }

    private JsonNode cancelKeyDeletion(CallContext call, JsonParams p) {
        KmsKey key = kms.keyFor(call, p, "CancelKeyDeletion");
        if (key.state() != KeyState.PendingDeletion) {
            throw KmsSupport.invalidState(key.arn() + " is not pending deletion.");
        }
        // AWS leaves a key whose deletion was cancelled disabled.
        kms.replace(key.withState(KeyState.Disabled));
        return JsonProtocol.object().put("KeyId", key.arn());
    }

    /** Deletes keys whose waiting period is over, with their aliases. */
    void purgeKeysPastDeletionDate() {
        Instant now = kms.clock.instant();
        List<String> expired = kms.state.keys().values().stream()
                .filter(k -> k.state() == KeyState.PendingDeletion && k.deletionDate().isBefore(now))
                .map(KmsKey::keyId).toList();
        if (!expired.isEmpty()) {
            expired.forEach(kms.state.keys()::remove);
            kms.state.aliases().removeIf(a -> expired.contains(a.targetKeyId()));
            kms.state.changed();
        }
    }

    private JsonNode enableKeyRotation(CallContext call, JsonParams p) {
        KmsKey key = kms.keyFor(call, p, "EnableKeyRotation");
        Integer period = p.integer("RotationPeriodInDays");
        int days = period == null ? 365 : period;
        if (days < 90 || days > 2560) {
            throw JsonParams.validation("Value '" + days + "' at 'rotationPeriodInDays' failed to satisfy constraint: "
                    + "Member must have minimum value of 90 and maximum value of 2560.");
        }
        kms.requireUsable(key);
        kms.replace(key.withRotation(true, days));
        return JsonProtocol.object();
    }

    private JsonNode disableKeyRotation(CallContext call, JsonParams p) {
        KmsKey key = kms.keyFor(call, p, "DisableKeyRotation");
        kms.requireUsable(key);
        kms.replace(key.withRotation(false, key.rotationPeriodDays()));
        return JsonProtocol.object();
    }

    private JsonNode getKeyRotationStatus(CallContext call, JsonParams p) {
        KmsKey key = kms.keyFor(call, p, "GetKeyRotationStatus");
        ObjectNode body = JsonProtocol.object().put("KeyRotationEnabled", key.rotationEnabled()).put("KeyId", key.arn());
        if (key.rotationEnabled()) {
            body.put("RotationPeriodInDays", key.rotationPeriodDays());
            Instant next = key.created();
            Instant now = kms.clock.instant();
            while (!next.isAfter(now)) {
                next = next.plus(Duration.ofDays(key.rotationPeriodDays()));
            }
            body.put("NextRotationDate", KmsJson.epochSeconds(next));
        }
        return body;
    }
}

package io.vaultcfg.aws.emulator.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcfg.aws.emulator.auth.AccessDeniedException;
import io.vaultcfg.aws.emulator.auth.Authorizer;
import io.vaultcfg.aws.emulator.auth.Caller;
import io.vaultcfg.aws.emulator.http.AwsServiceException;
import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.JsonParams;
import io.vaultcfg.aws.emulator.http.JsonProtocol;
import io.vaultcfg.aws.emulator.http.JsonService;
import io.vaultcfg.aws.emulator.http.UnknownOperationException;
import io.vaultcfg.aws.emulator.policy.MalformedPolicyException;
import io.vaultcfg.aws.emulator.policy.PolicyDocument;
import io.vaultcfg.aws.emulator.policy.PolicyEvaluator;
import io.vaultcfg.aws.emulator.policy.PolicyKind;
import io.vaultcfg.aws.emulator.policy.RequestContext;
import io.vaultcfg.aws.emulator.state.EmulatorState;
import io.vaultcfg.aws.emulator.state.Ids;
import io.vaultcfg.aws.emulator.state.KeyState;
import io.vaultcfg.aws.emulator.state.KmsAlias;
import io.vaultcfg.aws.emulator.state.KmsKey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * KMS symmetric-key operations with real AES-256-GCM. Every key operation is authorized against the resolved key
 * ARN (even when the caller named an alias, and for Decrypt the key found inside the ciphertext) together with the
 * key policy. Call with the state's lock held.
 */
public final class KmsService implements JsonService {
    private static final Pattern ALIAS_NAME = Pattern.compile("^alias/[a-zA-Z0-9/_-]+$");
    private static final String SYMMETRIC_DEFAULT = "SYMMETRIC_DEFAULT";

    private final EmulatorState state;
    private final Authorizer authorizer;
    private final KeyResolver keys;
    private final Clock clock;

    public KmsService(EmulatorState state, Authorizer authorizer, Clock clock) {
        this.state = state;
        this.authorizer = authorizer;
        this.keys = new KeyResolver(state);
        this.clock = clock;
    }

    @Override
    public JsonNode handle(String action, CallContext call, JsonParams p) {
        purgeKeysPastDeletionDate();
        return switch (action) {
            case "CreateKey" -> createKey(call, p);
            case "DescribeKey" -> describeKey(call, p);
            case "ListKeys" -> listKeys(call, p);
            case "EnableKeyRotation" -> enableKeyRotation(call, p);
            case "DisableKeyRotation" -> disableKeyRotation(call, p);
            case "GetKeyRotationStatus" -> getKeyRotationStatus(call, p);
            case "CreateAlias" -> createAlias(call, p);
            case "UpdateAlias" -> updateAlias(call, p);
            case "DeleteAlias" -> deleteAlias(call, p);
            case "ListAliases" -> listAliases(call, p);
            case "Encrypt" -> encrypt(call, p);
            case "Decrypt" -> decrypt(call, p);
            case "UpdateKeyDescription" -> updateKeyDescription(call, p);
            case "TagResource" -> tagResource(call, p);
            case "UntagResource" -> untagResource(call, p);
            case "ListResourceTags" -> listResourceTags(call, p);
            case "GetKeyPolicy" -> getKeyPolicy(call, p);
            case "PutKeyPolicy" -> putKeyPolicy(call, p);
            case "DisableKey" -> setEnabled(call, p, false);
            case "EnableKey" -> setEnabled(call, p, true);
            case "ScheduleKeyDeletion" -> scheduleKeyDeletion(call, p);
            case "CancelKeyDeletion" -> cancelKeyDeletion(call, p);
            default -> throw new UnknownOperationException(action);
        };
    }

    // ---- keys ----

    private JsonNode createKey(CallContext call, JsonParams p) {
        authorizer.require(call.caller(), "kms:CreateKey", "*");
        String usage = p.string("KeyUsage");
        String spec = p.has("KeySpec") ? p.string("KeySpec") : p.string("CustomerMasterKeySpec");
        if (usage != null && !usage.equals("ENCRYPT_DECRYPT") || spec != null && !spec.equals(SYMMETRIC_DEFAULT)) {
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
        String arn = keys.keyArn(call.region(), keyId);
        String policy = p.string("Policy");
        if (policy == null) {
            policy = defaultKeyPolicy();
        } else {
            validateKeyPolicy(policy, call.caller(), arn, p.bool("BypassPolicyLockoutSafetyCheck"));
        }
        String description = p.string("Description");
        if (description != null && description.length() > 8192) {
            throw JsonParams.validation("Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192");
        }
        KmsKey key = new KmsKey(keyId, arn, call.region(), clock.instant(), description == null ? "" : description,
                KeyState.Enabled, false, 365, List.of(Ids.aesKey()), policy, tags(p), null, null);
        state.keys().put(keyId, key);
        state.changed();
        return KmsJson.keyMetadataResponse(key, state.accountId());
    }

    private String defaultKeyPolicy() {
        return "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n"
                + "    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n"
                + "    \"Principal\" : {\n      \"AWS\" : \"" + state.rootArn() + "\"\n    },\n"
                + "    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}";
    }

    private JsonNode describeKey(CallContext call, JsonParams p) {
        KmsKey key = keyFor(call, p, "DescribeKey");
        return KmsJson.keyMetadataResponse(key, state.accountId());
    }

    private JsonNode listKeys(CallContext call, JsonParams p) {
        authorizer.require(call.caller(), "kms:ListKeys", "*");
        Page<KmsKey> page = Page.of(List.copyOf(state.keys().values()), p.integer("Limit"), p.string("Marker"));
        ObjectNode body = JsonProtocol.object();
        ArrayNode list = body.putArray("Keys");
        page.items().forEach(k -> list.addObject().put("KeyId", k.keyId()).put("KeyArn", k.arn()));
        return page.finish(body);
    }

    private JsonNode updateKeyDescription(CallContext call, JsonParams p) {
        KmsKey key = keyFor(call, p, "UpdateKeyDescription");
        String description = p.string("Description");
        if (description == null) {
            throw JsonParams.missing("Description");
        }
        replace(key.withDescription(description));
        return JsonProtocol.object();
    }

    private JsonNode setEnabled(CallContext call, JsonParams p, boolean enable) {
        KmsKey key = keyFor(call, p, enable ? "EnableKey" : "DisableKey");
        requireNotPendingDeletion(key);
        replace(key.withState(enable ? KeyState.Enabled : KeyState.Disabled));
        return JsonProtocol.object();
    }

    private JsonNode scheduleKeyDeletion(CallContext call, JsonParams p) {
        KmsKey key = keyFor(call, p, "ScheduleKeyDeletion");
        Integer window = p.integer("PendingWindowInDays");
        int days = window == null ? 30 : window;
        if (days < 7 || days > 30) {
            throw JsonParams.validation("Value '" + days + "' at 'PendingWindowInDays' failed to satisfy constraint: "
                    + "Member must have minimum value of 7 and maximum value of 30.");
        }
        requireNotPendingDeletion(key);
        Instant deletionDate = clock.instant().plus(Duration.ofDays(days));
        KmsKey scheduled = key.withPendingDeletion(deletionDate, days);
        replace(scheduled);
        ObjectNode body = JsonProtocol.object().put("KeyId", key.arn());
        body.put("DeletionDate", KmsJson.epochSeconds(deletionDate));
        return body.put("KeyState", KeyState.PendingDeletion.name()).put("PendingWindowInDays", days);
    }

    private JsonNode cancelKeyDeletion(CallContext call, JsonParams p) {
        KmsKey key = keyFor(call, p, "CancelKeyDeletion");
        if (key.state() != KeyState.PendingDeletion) {
            throw invalidState(key.arn() + " is not pending deletion.");
        }
        // AWS leaves a key whose deletion was cancelled disabled.
        replace(key.withState(KeyState.Disabled));
        return JsonProtocol.object().put("KeyId", key.arn());
    }

    private void purgeKeysPastDeletionDate() {
        Instant now = clock.instant();
        List<String> expired = state.keys().values().stream()
                .filter(k -> k.state() == KeyState.PendingDeletion && k.deletionDate().isBefore(now))
                .map(KmsKey::keyId).toList();
        if (!expired.isEmpty()) {
            expired.forEach(state.keys()::remove);
            state.aliases().values().removeIf(a -> expired.contains(a.targetKeyId()));
            state.changed();
        }
    }

    // ---- rotation ----

    private JsonNode enableKeyRotation(CallContext call, JsonParams p) {
        KmsKey key = keyFor(call, p, "EnableKeyRotation");
        Integer period = p.integer("RotationPeriodInDays");
        int days = period == null ? 365 : period;
        if (days < 90 || days > 2560) {
            throw JsonParams.validation("Value '" + days + "' at 'rotationPeriodInDays' failed to satisfy constraint: "
                    + "Member must have minimum value of 90 and maximum value of 2560.");
        }
        requireUsable(key);
        replace(key.withRotation(true, days));
        return JsonProtocol.object();
    }

    private JsonNode disableKeyRotation(CallContext call, JsonParams p) {
        KmsKey key = keyFor(call, p, "DisableKeyRotation");
        requireUsable(key);
        replace(key.withRotation(false, key.rotationPeriodDays()));
        return JsonProtocol.object();
    }

    private JsonNode getKeyRotationStatus(CallContext call, JsonParams p) {
        KmsKey key = keyFor(call, p, "GetKeyRotationStatus");
        ObjectNode body = JsonProtocol.object().put("KeyRotationEnabled", key.rotationEnabled()).put("KeyId", key.arn());
        if (key.rotationEnabled()) {
            body.put("RotationPeriodInDays", key.rotationPeriodDays());
            Instant next = key.created();
            Instant now = clock.instant();
            while (!next.isAfter(now)) {
                next = next.plus(Duration.ofDays(key.rotationPeriodDays()));
            }
            body.put("NextRotationDate", KmsJson.epochSeconds(next));
        }
        return body;
    }

    // ---- aliases ----

    private JsonNode createAlias(CallContext call, JsonParams p) {
        String aliasName = validAliasName(p.requiredString("AliasName"));
        KmsKey key = keys.resolveKeyOnly(p.requiredString("TargetKeyId"), call.region());
        authorizeAlias(call, "kms:CreateAlias", aliasName, key);
        requireNotPendingDeletion(key);
        if (state.aliases().containsKey(aliasName)) {
            throw new AwsServiceException("AlreadyExistsException", "An alias with the name "
                    + keys.aliasArn(call.region(), aliasName) + " already exists", 400);
        }
        Instant now = clock.instant();
        state.aliases().put(aliasName, new KmsAlias(aliasName, key.keyId(), now, now));
        state.changed();
        return JsonProtocol.object();
    }

    private JsonNode updateAlias(CallContext call, JsonParams p) {
        String aliasName = validAliasName(p.requiredString("AliasName"));
        KmsKey newTarget = keys.resolveKeyOnly(p.requiredString("TargetKeyId"), call.region());
        KmsAlias alias = existingAlias(aliasName, call.region());
        KmsKey oldTarget = state.keys().get(alias.targetKeyId());
        authorizeAlias(call, "kms:UpdateAlias", aliasName, newTarget);
        if (oldTarget != null) {
            authorizeKey(call.caller(), "kms:UpdateAlias", oldTarget);
        }
        requireNotPendingDeletion(newTarget);
        state.aliases().put(aliasName, alias.retarget(newTarget.keyId(), clock.instant()));
        state.changed();
        return JsonProtocol.object();
    }

    private JsonNode deleteAlias(CallContext call, JsonParams p) {
        String aliasName = validAliasName(p.requiredString("AliasName"));
        KmsAlias alias = existingAlias(aliasName, call.region());
        KmsKey target = state.keys().get(alias.targetKeyId());
        if (target != null) {
            authorizeAlias(call, "kms:DeleteAlias", aliasName, target);
        }
        state.aliases().remove(aliasName);
        state.changed();
        return JsonProtocol.object();
    }

    private JsonNode listAliases(CallContext call, JsonParams p) {
        authorizer.require(call.caller(), "kms:ListAliases", "*");
        String keyFilter = p.string("KeyId");
        String filterKeyId = keyFilter == null ? null : keys.resolveKeyOnly(keyFilter, call.region()).keyId();
        List<KmsAlias> aliases = state.aliases().values().stream()
                .filter(a -> filterKeyId == null || a.targetKeyId().equals(filterKeyId)).toList();
        Page<KmsAlias> page = Page.of(aliases, p.integer("Limit"), p.string("Marker"));
        ObjectNode body = JsonProtocol.object();
        ArrayNode list = body.putArray("Aliases");
        for (KmsAlias alias : page.items()) {
            KmsKey target = state.keys().get(alias.targetKeyId());
            String region = target == null ? call.region() : target.region();
            ObjectNode entry = list.addObject().put("AliasName", alias.name())
                    .put("AliasArn", keys.aliasArn(region, alias.name())).put("TargetKeyId", alias.targetKeyId());
            entry.put("CreationDate", KmsJson.epochSeconds(alias.created()));
            entry.put("LastUpdatedDate", KmsJson.epochSeconds(alias.updated()));
        }
        return page.finish(body);
    }

    private String validAliasName(String aliasName) {
        if (aliasName.startsWith("alias/aws/")) {
            throw new AwsServiceException("NotAuthorizedException",
                    "Alias names that begin with alias/aws/ are reserved for AWS managed keys.", 400);
        }
        if (aliasName.length() > 256 || !ALIAS_NAME.matcher(aliasName).matches()) {
            throw JsonParams.validation("Value '" + aliasName + "' at 'aliasName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$");
        }
        return aliasName;
    }

    private KmsAlias existingAlias(String aliasName, String region) {
        KmsAlias alias = state.aliases().get(aliasName);
        if (alias == null) {
            throw KeyResolver.notFound("Alias " + keys.aliasArn(region, aliasName) + " is not found.");
        }
        return alias;
    }

    // Alias operations need permission on the alias (identity policy) and on the key (key policy).
    private void authorizeAlias(CallContext call, String action, String aliasName, KmsKey key) {
        authorizer.require(call.caller(), action, keys.aliasArn(key.region(), aliasName));
        authorizeKey(call.caller(), action, key);
    }

    // ---- cryptography ----

    private JsonNode encrypt(CallContext call, JsonParams p) {
        String keyReference = p.requiredString("KeyId");
        byte[] plaintext = p.blob("Plaintext");
        if (plaintext == null) {
            throw JsonParams.missing("Plaintext");
        }
        KmsKey key = keys.resolve(keyReference, call.region());
        Map<String, String> context = p.stringMap("EncryptionContext");
        authorizeKey(call.caller(), "kms:Encrypt", key, context);
        if (plaintext.length < 1 || plaintext.length > 4096) {
            throw JsonParams.validation("Value at 'plaintext' failed to satisfy constraint: "
                    + "Member must have length less than or equal to 4096 and greater than or equal to 1");
        }
        requireSymmetricAlgorithm(p);
        requireUsable(key);
        dryRun(p);
        byte[] blob = CiphertextFormat.encrypt(key.keyId(), key.currentVersion(), key.material(key.currentVersion()),
                plaintext, context);
        ObjectNode body = JsonProtocol.object();
        body.put("CiphertextBlob", blob);
        return body.put("KeyId", key.arn()).put("EncryptionAlgorithm", SYMMETRIC_DEFAULT);
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
        KmsKey key = state.keys().get(parsed.keyId());
        if (key == null) {
            throw new AccessDeniedException("The ciphertext refers to a customer master key that does not exist, "
                    + "does not exist in this region, or you are not allowed to access.");
        }
        if (p.has("KeyId") && !keys.resolve(p.requiredString("KeyId"), call.region()).keyId().equals(key.keyId())) {
            throw new AwsServiceException("IncorrectKeyException",
                    "The key ID in the request does not identify a CMK that can perform this operation.", 400);
        }
        Map<String, String> context = p.stringMap("EncryptionContext");
        authorizeKey(call.caller(), "kms:Decrypt", key, context);
        requireSymmetricAlgorithm(p);
        requireUsable(key);
        dryRun(p);
        byte[] material = key.material(parsed.keyVersion());
        byte[] plaintext = material == null ? null : CiphertextFormat.decrypt(parsed, material, context);
        if (plaintext == null) {
            throw invalidCiphertext();
        }
        ObjectNode body = JsonProtocol.object().put("KeyId", key.arn());
        body.put("Plaintext", plaintext);
        return body.put("EncryptionAlgorithm", SYMMETRIC_DEFAULT);
    }

    private static void requireSymmetricAlgorithm(JsonParams p) {
        String algorithm = p.string("EncryptionAlgorithm");
        if (algorithm != null && !algorithm.equals(SYMMETRIC_DEFAULT)) {
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

    // ---- tags ----

    private JsonNode tagResource(CallContext call, JsonParams p) {
        KmsKey key = keyFor(call, p, "TagResource");
        if (!p.has("Tags")) {
            throw JsonParams.missing("Tags");
        }
        Map<String, String> tags = new LinkedHashMap<>(key.tags());
        tags.putAll(tags(p));
        replace(key.withTags(tags));
        return JsonProtocol.object();
    }

    private JsonNode untagResource(CallContext call, JsonParams p) {
        KmsKey key = keyFor(call, p, "UntagResource");
        if (!p.has("TagKeys")) {
            throw JsonParams.missing("TagKeys");
        }
        Map<String, String> tags = new LinkedHashMap<>(key.tags());
        p.stringList("TagKeys").forEach(tags::remove);
        replace(key.withTags(tags));
        return JsonProtocol.object();
    }

    private JsonNode listResourceTags(CallContext call, JsonParams p) {
        KmsKey key = keyFor(call, p, "ListResourceTags");
        Page<Map.Entry<String, String>> page = Page.of(List.copyOf(key.tags().entrySet()), p.integer("Limit"), p.string("Marker"));
        ObjectNode body = JsonProtocol.object();
        ArrayNode list = body.putArray("Tags");
        page.items().forEach(e -> list.addObject().put("TagKey", e.getKey()).put("TagValue", e.getValue()));
        return page.finish(body);
    }

    private static Map<String, String> tags(JsonParams p) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonParams tag : p.objectList("Tags")) {
            String key = tag.requiredString("TagKey");
            String value = tag.string("TagValue");
            if (value == null) {
                throw JsonParams.missing("TagValue");
            }
            if (key.length() > 128 || value.length() > 256) {
                throw new AwsServiceException("TagException", "Tag keys must be 1-128 and values 0-256 characters long.", 400);
            }
            tags.put(key, value);
        }
        return tags;
    }

    // ---- key policy ----

    private JsonNode getKeyPolicy(CallContext call, JsonParams p) {
        KmsKey key = keyFor(call, p, "GetKeyPolicy");
        requireDefaultPolicyName(p);
        return JsonProtocol.object().put("Policy", key.policy()).put("PolicyName", "default");
    }

    private JsonNode putKeyPolicy(CallContext call, JsonParams p) {
        KmsKey key = keyFor(call, p, "PutKeyPolicy");
        requireDefaultPolicyName(p);
        String policy = p.requiredString("Policy");
        validateKeyPolicy(policy, call.caller(), key.arn(), p.bool("BypassPolicyLockoutSafetyCheck"));
        replace(key.withPolicy(policy));
        return JsonProtocol.object();
    }

    private static void requireDefaultPolicyName(JsonParams p) {
        String name = p.string("PolicyName");
        if (name != null && !name.equals("default")) {
            throw KeyResolver.notFound("Policy name " + name + " does not exist. The only valid policy name is default.");
        }
    }

    /** Grammar check plus KMS's lockout safety check: the caller (or the account) must keep kms:PutKeyPolicy. */
    private void validateKeyPolicy(String policy, Caller caller, String keyArn, boolean bypassLockoutCheck) {
        PolicyDocument document;
        try {
            document = PolicyDocument.parse(policy, PolicyKind.KEY);
        } catch (MalformedPolicyException e) {
            throw new AwsServiceException("MalformedPolicyDocumentException", e.getMessage(), 400);
        }
        if (policy.length() > 32768) {
            throw new AwsServiceException("MalformedPolicyDocumentException", "Policy exceeds the maximum size of 32 KB.", 400);
        }
        if (!bypassLockoutCheck) {
            PolicyEvaluator.ResourceVerdict verdict = PolicyEvaluator.evaluateResourcePolicy(document,
                    List.of(caller.arn()), state.accountId(), "kms:PutKeyPolicy", keyArn, new RequestContext());
            if (verdict.explicitDeny() || !(verdict.allowsCallerDirectly() || verdict.delegatesToAccount())) {
                throw new AwsServiceException("MalformedPolicyDocumentException",
                        "The new key policy will not allow you to update the key policy in the future.", 400);
            }
        }
    }

    // ---- shared helpers ----

    /** Resolves {@code KeyId} and authorizes {@code kms:<action>} on the key's ARN. */
    private KmsKey keyFor(CallContext call, JsonParams p, String action) {
        KmsKey key = keys.resolve(p.requiredString("KeyId"), call.region());
        authorizeKey(call.caller(), "kms:" + action, key);
        return key;
    }

    private void authorizeKey(Caller caller, String action, KmsKey key) {
        authorizeKey(caller, action, key, Map.of());
    }

    private void authorizeKey(Caller caller, String action, KmsKey key, Map<String, String> encryptionContext) {
        RequestContext context = new RequestContext();
        encryptionContext.forEach((k, v) -> context.put("kms:EncryptionContext:" + k, v));
        authorizer.require(caller, action, key.arn(), key.policy(), PolicyKind.KEY, context);
    }

    private void requireUsable(KmsKey key) {
        requireNotPendingDeletion(key);
        if (key.state() == KeyState.Disabled) {
            throw new AwsServiceException("DisabledException", key.arn() + " is disabled.", 400);
        }
    }

    private void requireNotPendingDeletion(KmsKey key) {
        if (key.state() == KeyState.PendingDeletion) {
            throw invalidState(key.arn() + " is pending deletion.");
        }
    }

    private static AwsServiceException invalidState(String message) {
        return new AwsServiceException("KMSInvalidStateException", message, 400);
    }

    private void replace(KmsKey key) {
        state.keys().put(key.keyId(), key);
        state.changed();
    }

    /** Marker-based paging as KMS does it; the marker is an opaque offset. */
    private record Page<T>(List<T> items, String nextMarker) {
        static <T> Page<T> of(List<T> all, Integer limit, String marker) {
            int size = limit == null ? 100 : limit;
            if (size < 1 || size > 1000) {
                throw JsonParams.validation("Value '" + size + "' at 'limit' failed to satisfy constraint: "
                        + "Member must have minimum value of 1 and maximum value of 1000");
            }
            int from;
            try {
                from = marker == null ? 0 : Integer.parseInt(marker);
            } catch (NumberFormatException e) {
                throw new AwsServiceException("InvalidMarkerException", "Invalid marker: " + marker, 400);
            }
            if (from < 0 || from > all.size()) {
                throw new AwsServiceException("InvalidMarkerException", "Invalid marker: " + marker, 400);
            }
            int to = Math.min(all.size(), from + size);
            return new Page<>(new ArrayList<>(all.subList(from, to)), to < all.size() ? String.valueOf(to) : null);
        }

        ObjectNode finish(ObjectNode body) {
            if (nextMarker != null) {
                body.put("NextMarker", nextMarker);
            }
            return body.put("Truncated", nextMarker != null);
        }
    }
}

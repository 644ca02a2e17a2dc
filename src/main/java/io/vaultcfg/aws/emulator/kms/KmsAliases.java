package io.vaultcfg.aws.emulator.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcfg.aws.emulator.http.AwsServiceException;
import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.JsonParams;
import io.vaultcfg.aws.emulator.http.JsonProtocol;
import io.vaultcfg.aws.emulator.state.KmsAlias;
import io.vaultcfg.aws.emulator.state.KmsKey;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Aliases of the caller's region: the same name in another region is another alias, for another key. */
final class KmsAliases {
    private static final Pattern ALIAS_NAME = Pattern.compile("^alias/[a-zA-Z0-9/_-]+$");

    private final KmsSupport kms;

    KmsAliases(KmsSupport kms) {
        this.kms = kms;
    }

    void register(Map<String, KmsHandler> routes) {
        routes.put("CreateAlias", this::createAlias);
        routes.put("UpdateAlias", this::updateAlias);
        routes.put("DeleteAlias", this::deleteAlias);
        routes.put("ListAliases", this::listAliases);
    }

    private JsonNode createAlias(CallContext call, JsonParams p) {
        String aliasName = validAliasName(p.requiredString("AliasName"));
        KmsKey key = kms.keys.resolveKeyOnly(p.requiredString("TargetKeyId"), call.region());
        authorizeAlias(call, "kms:CreateAlias", aliasName, key);
        kms.requireNotPendingDeletion(key);
        if (kms.state.alias(call.region(), aliasName).isPresent()) {
            throw new AwsServiceException("AlreadyExistsException", "An alias with the name "
                    + kms.keys.aliasArn(call.region(), aliasName) + " already exists", 400);
        }
        Instant now = kms.clock.instant();
        kms.state.putAlias(new KmsAlias(call.region(), aliasName, key.keyId(), now, now));
        kms.state.changed();
        return JsonProtocol.object();
    }

    private JsonNode updateAlias(CallContext call, JsonParams p) {
        String aliasName = validAliasName(p.requiredString("AliasName"));
        KmsKey newTarget = kms.keys.resolveKeyOnly(p.requiredString("TargetKeyId"), call.region());
        KmsAlias alias = existingAlias(aliasName, call.region());
        KmsKey oldTarget = kms.keys.inRegion(alias.targetKeyId(), call.region());
        authorizeAlias(call, "kms:UpdateAlias", aliasName, newTarget);
        if (oldTarget != null) {
            kms.authorizeKey(call.caller(), "kms:UpdateAlias", oldTarget);
        }
        kms.requireNotPendingDeletion(newTarget);
        kms.state.putAlias(alias.retarget(newTarget.keyId(), kms.clock.instant()));
        kms.state.changed();
        return JsonProtocol.object();
    }

    private JsonNode deleteAlias(CallContext call, JsonParams p) {
        String aliasName = validAliasName(p.requiredString("AliasName"));
        KmsAlias alias = existingAlias(aliasName, call.region());
        KmsKey target = kms.keys.inRegion(alias.targetKeyId(), call.region());
        if (target != null) {
            authorizeAlias(call, "kms:DeleteAlias", aliasName, target);
        }
        kms.state.removeAlias(alias);
        kms.state.changed();
        return JsonProtocol.object();
    }

    private JsonNode listAliases(CallContext call, JsonParams p) {
        kms.authorizer.require(call.caller(), "kms:ListAliases", "*");
        String keyFilter = p.string("KeyId");
        String filterKeyId = keyFilter == null ? null : kms.keys.resolveKeyOnly(keyFilter, call.region()).keyId();
        List<KmsAlias> aliases = kms.state.aliases().stream()
                .filter(a -> a.region().equals(call.region()))
                .filter(a -> filterKeyId == null || a.targetKeyId().equals(filterKeyId)).toList();
        KmsPage<KmsAlias> page = KmsPage.of(aliases, p.integer("Limit"), p.string("Marker"));
        ObjectNode body = JsonProtocol.object();
        ArrayNode list = body.putArray("Aliases");
        for (KmsAlias alias : page.items()) {
            ObjectNode entry = list.addObject().put("AliasName", alias.name())
                    .put("AliasArn", kms.keys.aliasArn(alias.region(), alias.name()))
                    .put("TargetKeyId", alias.targetKeyId());
            entry.put("CreationDate", KmsJson.epochSeconds(alias.created()));
            entry.put("LastUpdatedDate", KmsJson.epochSeconds(alias.updated()));
        }
        return page.finish(body);
    }

    private static String validAliasName(String aliasName) {
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
        return kms.state.alias(region, aliasName).orElseThrow(() ->
                KeyResolver.notFound("Alias " + kms.keys.aliasArn(region, aliasName) + " is not found."));
    }

    // Alias operations need permission on the alias (identity policy) and on the key (key policy).
    private void authorizeAlias(CallContext call, String action, String aliasName, KmsKey key) {
        kms.authorizer.require(call.caller(), action, kms.keys.aliasArn(key.region(), aliasName));
        kms.authorizeKey(call.caller(), action, key);
    }
}

package io.vaultcfg.aws.emulator.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcfg.aws.emulator.http.AwsServiceException;
import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.JsonParams;
import io.vaultcfg.aws.emulator.http.JsonProtocol;
import io.vaultcfg.aws.emulator.state.KmsKey;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Key tags: TagResource, UntagResource, ListResourceTags, and the Tags of CreateKey. */
final class KmsTags {
    private final KmsSupport kms;

    KmsTags(KmsSupport kms) {
        this.kms = kms;
    }

    void register(Map<String, KmsHandler> routes) {
        routes.put("TagResource", this::tagResource);
        routes.put("UntagResource", this::untagResource);
        routes.put("ListResourceTags", this::listResourceTags);
    }

    private JsonNode tagResource(CallContext call, JsonParams p) {
        KmsKey key = kms.keyFor(call, p, "TagResource");
        if (!p.has("Tags")) {
            throw JsonParams.missing("Tags");
        }
        Map<String, String> tags = new LinkedHashMap<>(key.tags());
        tags.putAll(tags(p));
        kms.replace(key.withTags(tags));
        return JsonProtocol.object();
    }

    private JsonNode untagResource(CallContext call, JsonParams p) {
        KmsKey key = kms.keyFor(call, p, "UntagResource");
        if (!p.has("TagKeys")) {
            throw JsonParams.missing("TagKeys");
        }
        Map<String, String> tags = new LinkedHashMap<>(key.tags());
        p.stringList("TagKeys").forEach(tags::remove);
        kms.replace(key.withTags(tags));
        return JsonProtocol.object();
    }

    private JsonNode listResourceTags(CallContext call, JsonParams p) {
        KmsKey key = kms.keyFor(call, p, "ListResourceTags");
        KmsPage<Map.Entry<String, String>> page = KmsPage.of(List.copyOf(key.tags().entrySet()), p.integer("Limit"),
                p.string("Marker"));
        ObjectNode body = JsonProtocol.object();
        ArrayNode list = body.putArray("Tags");
        page.items().forEach(e -> list.addObject().put("TagKey", e.getKey()).put("TagValue", e.getValue()));
        return page.finish(body);
    }

    static Map<String, String> tags(JsonParams p) {
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
}

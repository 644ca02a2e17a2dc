package io.vaultcfg.aws.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed access to an awsJson request body, failing with the errors real AWS JSON services return. */
public final class JsonParams {
    private final JsonNode body;

    public JsonParams(JsonNode body) {
        this.body = body;
    }

    public boolean has(String name) {
        return body.hasNonNull(name);
    }

    public String string(String name) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw serialization("Expected a string for " + name);
        }
        return node.asText();
    }

    public String requiredString(String name) {
        String value = string(name);
        if (value == null) {
            throw missing(name);
        }
        if (value.isEmpty()) {
            throw validation("Value '' at '" + member(name) + "' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        return value;
    }

    public Integer integer(String name) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber()) {
            throw serialization("Expected a number for " + name);
        }
        return node.asInt();
    }

    public boolean bool(String name) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw serialization("Expected a boolean for " + name);
        }
        return node.asBoolean();
    }

    /** A base64 blob; null when absent. */
    public byte[] blob(String name) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw serialization("Expected a base64 string for " + name);
        }
        try {
            return node.binaryValue();
        } catch (IOException | IllegalArgumentException e) {
            throw serialization("Value of " + name + " is not valid base64");
        }
    }

    public Map<String, String> stringMap(String name) {
        JsonNode node = body.get(name);
        Map<String, String> map = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return map;
        }
        if (!node.isObject()) {
            throw serialization("Expected a map for " + name);
        }
        for (var fields = node.fields(); fields.hasNext(); ) {
            var field = fields.next();
            if (!field.getValue().isTextual()) {
                throw serialization("Expected string values in " + name);
            }
            map.put(field.getKey(), field.getValue().asText());
        }
        return map;
    }

    public List<String> stringList(String name) {
        JsonNode node = body.get(name);
        List<String> list = new ArrayList<>();
        if (node == null || node.isNull()) {
            return list;
        }
        if (!node.isArray()) {
            throw serialization("Expected a list for " + name);
        }
        for (JsonNode each : node) {
            if (!each.isTextual()) {
                throw serialization("Expected strings in " + name);
            }
            list.add(each.asText());
        }
        return list;
    }

    /** A list of objects such as {@code Tags: [{TagKey, TagValue}]}. */
    public List<JsonParams> objectList(String name) {
        JsonNode node = body.get(name);
        List<JsonParams> list = new ArrayList<>();
        if (node == null || node.isNull()) {
            return list;
        }
        if (!node.isArray()) {
            throw serialization("Expected a list for " + name);
        }
        for (JsonNode each : node) {
            if (!each.isObject()) {
                throw serialization("Expected objects in " + name);
            }
            list.add(new JsonParams(each));
        }
        return list;
    }

    public static AwsServiceException missing(String name) {
        return validation("Value null at '" + member(name) + "' failed to satisfy constraint: Member must not be null");
    }

    public static AwsServiceException validation(String detail) {
        return new AwsServiceException("ValidationException", "1 validation error detected: " + detail, 400);
    }

    public static AwsServiceException serialization(String detail) {
        return new AwsServiceException("SerializationException", detail, 400);
    }

    private static String member(String name) {
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}

package io.vaultcfg.aws.emulator.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A parsed, validated IAM/KMS policy document. Parse results are cached because documents are re-read per call. */
public record PolicyDocument(List<Statement> statements) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_FIELDS = Set.of("Sid", "Effect", "Action", "NotAction", "Resource",
            "NotResource", "Principal", "NotPrincipal", "Condition");
    private static final String SYNTAX = "Syntax errors in policy.";
    private static final int CACHE_SIZE = 512;
    private static final Map<String, PolicyDocument> CACHE = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PolicyDocument> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    public static PolicyDocument parse(String text, PolicyKind kind) throws MalformedPolicyException {
        String cacheKey = kind + "\u0000" + text;
        synchronized (CACHE) {
            PolicyDocument cached = CACHE.get(cacheKey);
            if (cached != null) {
                return cached;
            }
        }
        PolicyDocument parsed = parseUncached(text, kind);
        synchronized (CACHE) {
            CACHE.put(cacheKey, parsed);
        }
        return parsed;
    }

    private static PolicyDocument parseUncached(String text, PolicyKind kind) throws MalformedPolicyException {
        JsonNode root;
        try {
            root = text == null ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedPolicyException(SYNTAX);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedPolicyException(SYNTAX);
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            if (!TOP_LEVEL.contains(names.next())) {
                throw new MalformedPolicyException(SYNTAX);
            }
        }
        JsonNode version = root.get("Version");
        if (version != null && !(version.isTextual()
                && (version.asText().equals("2012-10-17") || version.asText().equals("2008-10-17")))) {
            throw new MalformedPolicyException("The policy failed legacy parsing");
        }
        JsonNode statementNode = root.get("Statement");
        if (statementNode == null || !(statementNode.isObject() || statementNode.isArray()) || statementNode.isEmpty()) {
            throw new MalformedPolicyException(SYNTAX);
        }
        List<Statement> statements = new ArrayList<>();
        if (statementNode.isObject()) {
            statements.add(parseStatement(statementNode, kind));
        } else {
            for (JsonNode each : statementNode) {
                statements.add(parseStatement(each, kind));
            }
        }
        return new PolicyDocument(List.copyOf(statements));
    }

    private static Statement parseStatement(JsonNode node, PolicyKind kind) throws MalformedPolicyException {
        if (!node.isObject()) {
            throw new MalformedPolicyException(SYNTAX);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            if (!STATEMENT_FIELDS.contains(names.next())) {
                throw new MalformedPolicyException(SYNTAX);
            }
        }
        JsonNode effectNode = node.get("Effect");
        if (effectNode == null) {
            throw new MalformedPolicyException("Missing required field Effect");
        }
        Effect effect = switch (effectNode.asText()) {
            case "Allow" -> Effect.Allow;
            case "Deny" -> Effect.Deny;
            default -> throw new MalformedPolicyException("Invalid effect: " + effectNode.asText());
        };
        boolean notAction = exactlyOne(node, "Action", "NotAction", "Policy statement must contain actions.");
        List<String> actions = strings(node.get(notAction ? "NotAction" : "Action"));
        for (String action : actions) {
            if (!action.equals("*") && !action.contains(":")) {
                throw new MalformedPolicyException("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
            }
        }
        boolean hasResource = node.has("Resource") || node.has("NotResource");
        boolean notResource = false;
        List<String> resources = List.of();
        if (kind != PolicyKind.TRUST || hasResource) {
            notResource = exactlyOne(node, "Resource", "NotResource", "Policy statement must contain resources.");
            resources = strings(node.get(notResource ? "NotResource" : "Resource"));
            for (String resource : resources) {
                if (!resource.equals("*") && !looksLikeArn(resource)) {
                    throw new MalformedPolicyException("Resource " + resource + " must be in ARN format or \"*\".");
                }
            }
        }
        boolean hasPrincipal = node.has("Principal") || node.has("NotPrincipal");
        Principals principals = null;
        boolean notPrincipal = false;
        if (kind == PolicyKind.IDENTITY) {
            if (hasPrincipal) {
                throw new MalformedPolicyException("Policy document should not specify a principal.");
            }
        } else {
            notPrincipal = exactlyOne(node, "Principal", "NotPrincipal",
                    "Policy contains a statement with no principal.");
            principals = principals(node.get(notPrincipal ? "NotPrincipal" : "Principal"));
        }
        String sid = node.hasNonNull("Sid") ? node.get("Sid").asText() : null;
        return new Statement(sid, effect, actions, notAction, resources, notResource, principals, notPrincipal,
                conditions(node.get("Condition")));
    }

    private static boolean looksLikeArn(String resource) {
        return resource.startsWith("arn:") && (resource.split(":", 6).length == 6 || resource.endsWith("*"));
    }

    /** Returns true when the second (the "Not" form) is the one present. */
    private static boolean exactlyOne(JsonNode node, String name, String notName, String missingMessage)
            throws MalformedPolicyException {
        boolean plain = node.has(name);
        boolean negated = node.has(notName);
        if (!plain && !negated) {
            throw new MalformedPolicyException(missingMessage);
        }
        if (plain && negated) {
            throw new MalformedPolicyException(SYNTAX);
        }
        return negated;
    }

    private static List<String> strings(JsonNode node) throws MalformedPolicyException {
        if (node != null && node.isTextual()) {
            return List.of(node.asText());
        }
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new MalformedPolicyException(SYNTAX);
        }
        List<String> values = new ArrayList<>();
        for (JsonNode each : node) {
            if (!each.isTextual()) {
                throw new MalformedPolicyException(SYNTAX);
            }
            values.add(each.asText());
        }
        return List.copyOf(values);
    }

    private static Principals principals(JsonNode node) throws MalformedPolicyException {
        if (node != null && node.isTextual() && node.asText().equals("*")) {
            return new Principals(true, List.of());
        }
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw new MalformedPolicyException("Invalid principal in policy");
        }
        List<String> aws = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            List<String> values = strings(field.getValue());
            switch (field.getKey()) {
                case "AWS" -> aws.addAll(values);
                case "Service", "Federated", "CanonicalUser" -> { /* valid, but never matches an emulator caller */ }
                default -> throw new MalformedPolicyException("Invalid principal in policy");
            }
        }
        for (String principal : aws) {
            if (!principal.equals("*") && !principal.matches("\\d{12}") && !principal.startsWith("arn:")) {
                throw new MalformedPolicyException("Invalid principal in policy: \"AWS\":\"" + principal + "\"");
            }
        }
        return new Principals(false, List.copyOf(aws));
    }

    private static List<Condition> conditions(JsonNode node) throws MalformedPolicyException {
        if (node == null) {
            return List.of();
        }
        if (!node.isObject()) {
            throw new MalformedPolicyException(SYNTAX);
        }
        List<Condition> conditions = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> operators = node.fields(); operators.hasNext(); ) {
            Map.Entry<String, JsonNode> operator = operators.next();
            if (!operator.getValue().isObject()) {
                throw new MalformedPolicyException(SYNTAX);
            }
            for (Iterator<Map.Entry<String, JsonNode>> keys = operator.getValue().fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> key = keys.next();
                List<String> values = key.getValue().isValueNode() && !key.getValue().isTextual()
                        ? List.of(key.getValue().asText()) : strings(key.getValue());
                conditions.add(new Condition(operator.getKey(), key.getKey(), values));
            }
        }
        return List.copyOf(conditions);
    }
}

package io.vaultcfg.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/** The least-privilege policy of the seed: exactly Encrypt, Decrypt and DescribeKey on one key ARN. */
public final class SealPolicyDocument {
    static final Set<String> ACTIONS = Set.of("kms:Encrypt", "kms:Decrypt", "kms:DescribeKey");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SealPolicyDocument() {
    }

    public static String forKey(String keyArn) {
        return "{\n"
                + "  \"Version\": \"2012-10-17\",\n"
                + "  \"Statement\": [\n"
                + "    {\n"
                + "      \"Sid\": \"VaultAutoUnseal\",\n"
                + "      \"Effect\": \"Allow\",\n"
                + "      \"Action\": [\"kms:Encrypt\", \"kms:Decrypt\", \"kms:DescribeKey\"],\n"
                + "      \"Resource\": \"" + keyArn + "\"\n"
                + "    }\n"
                + "  ]\n"
                + "}\n";
    }

    /** IAM returns documents URL-encoded (RFC 3986); decode when it looks encoded. */
    public static String decode(String document) {
        String trimmed = document.trim();
        return trimmed.startsWith("%7B") || trimmed.startsWith("%7b")
                ? URLDecoder.decode(trimmed, StandardCharsets.UTF_8)
                : trimmed;
    }

    /** True when {@code document} grants exactly the three actions on exactly {@code keyArn}, nothing else. */
    public static boolean grantsExactly(String document, String keyArn) {
        try {
            JsonNode root = JSON.readTree(decode(document));
            JsonNode statements = root.path("Statement");
            if (statements.isObject()) {
                return statementIsExact(statements, keyArn);
            }
            return statements.isArray() && statements.size() == 1 && statementIsExact(statements.get(0), keyArn);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean statementIsExact(JsonNode statement, String keyArn) {
        Set<String> fields = new TreeSet<>();
        statement.fieldNames().forEachRemaining(fields::add);
        fields.remove("Sid");
        if (!fields.equals(Set.of("Effect", "Action", "Resource"))) {
            return false;
        }
        return statement.path("Effect").asText().equals("Allow")
                && values(statement.path("Action")).equals(ACTIONS)
                && values(statement.path("Resource")).equals(Set.of(keyArn));
    }

    private static Set<String> values(JsonNode node) {
        Set<String> values = new TreeSet<>();
        if (node.isTextual()) {
            values.add(node.asText());
        } else if (node.isArray()) {
            for (Iterator<JsonNode> items = node.elements(); items.hasNext(); ) {
                values.add(items.next().asText());
            }
        }
        return values;
    }
}

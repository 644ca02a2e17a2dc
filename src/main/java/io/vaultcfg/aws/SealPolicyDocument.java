package io.vaultcfg.aws;

import io.vaultcfg.json.PlainJson;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The least-privilege policy of the seed: exactly Encrypt, Decrypt and DescribeKey on one key ARN. */
public final class SealPolicyDocument {
    static final Set<String> ACTIONS = Set.of("kms:Encrypt", "kms:Decrypt", "kms:DescribeKey");

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
        Object statements = PlainJson.parse(decode(document)).map(root -> PlainJson.object(root).get("Statement")).orElse(null);
        if (statements instanceof Map<?, ?>) {
            return statementIsExact(PlainJson.object(statements), keyArn);
        }
        return statements instanceof List<?> list && list.size() == 1 && statementIsExact(PlainJson.object(list.get(0)), keyArn);
    }

    private static boolean statementIsExact(Map<String, Object> statement, String keyArn) {
        Set<String> fields = new TreeSet<>(statement.keySet());
        fields.remove("Sid");
        if (!fields.equals(Set.of("Effect", "Action", "Resource"))) {
            return false;
        }
        return "Allow".equals(statement.get("Effect"))
                && values(statement.get("Action")).equals(ACTIONS)
                && values(statement.get("Resource")).equals(Set.of(keyArn));
    }

    /** A string or a list of strings, as IAM allows for Action and Resource; anything else matches nothing. */
    private static Set<String> values(Object node) {
        Set<String> values = new TreeSet<>();
        if (node instanceof String text) {
            values.add(text);
        } else if (node instanceof List<?> items) {
            items.forEach(item -> values.add(String.valueOf(item)));
        }
        return values;
    }
}

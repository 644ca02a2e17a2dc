package io.vaultcfg.secret;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place secrets are removed from text on its way to a person or a file. Every console
 * line, diff, report and error message passes through {@link #redact(String)}.
 *
 * <p>Two nets: known secret values (variables whose name says secret, values marked secret) are
 * replaced wherever they appear; and assignments whose key looks secret ({@code *SECRET*=...},
 * {@code secret_key = "..."}) are masked even when the value is unknown, such as an old secret
 * read back from a host.
 */
public final class Redactor {
    public static final String MASK = "<redacted>";
    private static final int MIN_SECRET_LENGTH = 4;
    private static final Pattern SECRET_ASSIGNMENT = Pattern.compile(
            "(?i)(\\b[\\w.-]*(?:secret|password|token|private_key)[\\w.-]*\\s*[=:]\\s*\"?)([^\"\\s]+)");

    private final Set<String> values = ConcurrentHashMap.newKeySet();

    public static boolean isSecretName(String variableName) {
        String lower = variableName.toLowerCase();
        return lower.contains("secret") || lower.contains("password") || lower.contains("token");
    }

    /** Registers the values of every secret-named variable, and of those named in {@code marked}. */
    public void addSecretVariables(Map<String, ?> variables, Set<String> marked) {
        variables.forEach((name, value) -> {
            if (value != null && (isSecretName(name) || marked.contains(name))) {
                add(String.valueOf(value));
            }
        });
    }

    public void add(String secret) {
        if (secret != null && secret.length() >= MIN_SECRET_LENGTH) {
            values.add(secret);
        }
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        List<String> longestFirst = values.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String secret : longestFirst) {
            if (result.contains(secret)) {
                result = result.replace(secret, MASK);
            }
        }
        Matcher matcher = SECRET_ASSIGNMENT.matcher(result);
        StringBuilder masked = new StringBuilder();
        while (matcher.find()) {
            String value = matcher.group(2);
            String replacement = value.equals(MASK) ? matcher.group() : matcher.group(1) + MASK;
            matcher.appendReplacement(masked, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(masked);
        return masked.toString();
    }
}

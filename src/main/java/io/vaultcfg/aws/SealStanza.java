package io.vaultcfg.aws;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The KMS key and region a host's {@code seal "awskms"} stanza names, as read from the host. Vault
 * takes the region from the stanza, else from AWS_REGION / AWS_DEFAULT_REGION, else us-east-1.
 */
public record SealStanza(String kmsKeyId, String region) {
    private static final Pattern BLOCK = Pattern.compile("seal\\s+\"awskms\"\\s*\\{([^}]*)}");
    private static final String VAULT_DEFAULT_REGION = "us-east-1";

    /** Empty when the content has no awskms stanza with a {@code kms_key_id}. */
    public static Optional<SealStanza> parse(String hcl, Optional<String> environmentRegion) {
        StringBuilder code = new StringBuilder();
        for (String line : hcl.split("\n")) {
            String trimmed = line.trim();
            if (!trimmed.startsWith("#") && !trimmed.startsWith("//")) {
                code.append(line).append('\n');
            }
        }
        Matcher block = BLOCK.matcher(code);
        if (!block.find()) {
            return Optional.empty();
        }
        Optional<String> keyId = attribute(block.group(1), "kms_key_id");
        if (keyId.isEmpty()) {
            return Optional.empty();
        }
        String region = attribute(block.group(1), "region").or(() -> environmentRegion).orElse(VAULT_DEFAULT_REGION);
        return Optional.of(new SealStanza(keyId.get(), region));
    }

    /** AWS_REGION, else AWS_DEFAULT_REGION, from an env file's content. */
    public static Optional<String> environmentRegion(String envFile) {
        Optional<String> region = Optional.empty();
        Optional<String> defaultRegion = Optional.empty();
        for (String line : envFile.split("\n")) {
            String trimmed = line.trim().replaceFirst("^export\\s+", "");
            if (trimmed.startsWith("AWS_REGION=")) {
                region = Optional.of(unquote(trimmed.substring("AWS_REGION=".length())));
            } else if (trimmed.startsWith("AWS_DEFAULT_REGION=")) {
                defaultRegion = Optional.of(unquote(trimmed.substring("AWS_DEFAULT_REGION=".length())));
            }
        }
        Optional<String> fallback = defaultRegion.filter(r -> !r.isEmpty());
        return region.filter(r -> !r.isEmpty()).or(() -> fallback);
    }

    private static Optional<String> attribute(String body, String name) {
        Matcher value = Pattern.compile("(?m)^\\s*" + name + "\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(body);
        return value.find() ? Optional.of(value.group(1).replace("\\\"", "\"").replace("\\\\", "\\")) : Optional.empty();
    }

    private static String unquote(String value) {
        String trimmed = value.trim();
        if (trimmed.length() >= 2 && (trimmed.startsWith("\"") && trimmed.endsWith("\"")
                || trimmed.startsWith("'") && trimmed.endsWith("'"))) {
            return trimmed.substring(1, trimmed.length() - 1);
        }
        return trimmed;
    }

    /** The key's region when it is named by ARN, else the stanza's. */
    public String keyRegion() {
        return kmsKeyId.startsWith("arn:") && kmsKeyId.split(":").length > 3 ? kmsKeyId.split(":")[3] : region;
    }
}

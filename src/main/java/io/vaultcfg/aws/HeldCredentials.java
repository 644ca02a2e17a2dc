package io.vaultcfg.aws;

import java.util.Optional;

/** An access key pair as a host holds it. {@link #toString()} never shows the secret. */
public record HeldCredentials(String accessKeyId, String secretAccessKey) {

    /** Reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from an env file's content. */
    public static Optional<HeldCredentials> fromEnvFile(String content) {
        String id = null;
        String secret = null;
        for (String line : content.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("export ")) {
                trimmed = trimmed.substring("export ".length()).trim();
            }
            int equals = trimmed.indexOf('=');
            if (trimmed.startsWith("#") || equals <= 0) {
                continue;
            }
            String name = trimmed.substring(0, equals).trim();
            String value = unquote(trimmed.substring(equals + 1).trim());
            if (name.equals("AWS_ACCESS_KEY_ID")) {
                id = value;
            } else if (name.equals("AWS_SECRET_ACCESS_KEY")) {
                secret = value;
            }
        }
        return id == null || secret == null || id.isEmpty() || secret.isEmpty()
                ? Optional.empty()
                : Optional.of(new HeldCredentials(id, secret));
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    @Override
    public String toString() {
        return "HeldCredentials[" + accessKeyId + ", secret=<redacted>]";
    }
}

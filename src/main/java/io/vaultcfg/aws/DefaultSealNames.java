package io.vaultcfg.aws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Default IAM user and policy names. IAM names are global but KMS aliases are regional, so the
 * defaults carry the alias and the region: two fleets in two regions never share a user or policy.
 * Fleets provisioned before this rule keep the old names ({@link #LEGACY_USER}, {@link #LEGACY_POLICY}).
 */
public final class DefaultSealNames {
    public static final String LEGACY_USER = "vault-auto-unseal";
    public static final String LEGACY_POLICY = "vault-auto-unseal-kms";
    /** IAM user names are at most 64 characters; the policy name adds "-kms". */
    private static final int MAX_USER = 60;

    private DefaultSealNames() {
    }

    /** e.g. alias/vault-auto-unseal in us-east-2: vault-auto-unseal-us-east-2. */
    public static String user(String alias, String region) {
        String aliasName = alias.substring("alias/".length());
        String base = aliasName.replace('/', '-');
        String name = base + "-" + region;
        if (name.length() <= MAX_USER && !aliasName.contains("/")) {
            return name;
        }
        // A long alias, or one with "/" (not allowed in IAM names, and "a/b" must not meet "a-b"): keep it unique with a hash.
        String hash = sha256(alias + "@" + region).substring(0, 8);
        int room = MAX_USER - region.length() - hash.length() - 2;
        return base.substring(0, Math.min(base.length(), room)) + "-" + hash + "-" + region;
    }

    public static String policy(String alias, String region) {
        return user(alias, region) + "-kms";
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

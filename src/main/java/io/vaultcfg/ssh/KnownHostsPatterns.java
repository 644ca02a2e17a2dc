package io.vaultcfg.ssh;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The host field of a known_hosts line, matched as OpenSSH matches it: a comma-separated list of
 * patterns ({@code *}, {@code ?}) compared without case, where a matching {@code !pattern} rules the
 * line out whatever else matches; or one hashed name {@code |1|salt|HMAC-SHA1(salt, name)}.
 */
final class KnownHostsPatterns {
    private static final String HASH_MAGIC = "|1|";
    private static final int SALT_LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<String> patterns;
    private final byte[] salt;
    private final byte[] hash;

    private KnownHostsPatterns(List<String> patterns, byte[] salt, byte[] hash) {
        this.patterns = patterns;
        this.salt = salt;
        this.hash = hash;
    }

    /** Null when a hashed name is malformed. */
    static KnownHostsPatterns parse(String field) {
        if (field.startsWith(HASH_MAGIC)) {
            String[] parts = field.substring(HASH_MAGIC.length()).split("\\|", -1);
            if (parts.length != 2) {
                return null;
            }
            try {
                byte[] salt = Base64.getDecoder().decode(parts[0]);
                byte[] hash = Base64.getDecoder().decode(parts[1]);
                return salt.length == 0 || hash.length == 0 ? null : new KnownHostsPatterns(List.of(), salt, hash);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        List<String> patterns = new ArrayList<>();
        for (String pattern : field.split(",")) {
            if (!pattern.isEmpty()) {
                patterns.add(pattern.toLowerCase(Locale.ROOT));
            }
        }
        return new KnownHostsPatterns(List.copyOf(patterns), null, null);
    }

    boolean hashed() {
        return hash != null;
    }

    /** @param name as known_hosts spells it: {@code host}, or {@code [host]:port} for a port other than 22 */
    boolean matches(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (hash != null) {
            return MessageDigest.isEqual(hash, hmac(salt, lower));
        }
        boolean positive = false;
        for (String pattern : patterns) {
            boolean negated = pattern.startsWith("!");
            if (wildcardMatch(negated ? pattern.substring(1) : pattern, lower)) {
                if (negated) {
                    return false;
                }
                positive = true;
            }
        }
        return positive;
    }

    /** {@code |1|salt|hash} for {@code name} with a fresh salt, as {@code ssh-keygen -H} writes it. */
    static String hash(String name) {
        byte[] salt = new byte[SALT_LENGTH];
        RANDOM.nextBytes(salt);
        Base64.Encoder base64 = Base64.getEncoder();
        return HASH_MAGIC + base64.encodeToString(salt) + "|"
                + base64.encodeToString(hmac(salt, name.toLowerCase(Locale.ROOT)));
    }

    private static byte[] hmac(byte[] salt, String name) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA1", e);
        }
    }

    /** OpenSSH's match_pattern: {@code *} any run of characters, {@code ?} exactly one. */
    static boolean wildcardMatch(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}

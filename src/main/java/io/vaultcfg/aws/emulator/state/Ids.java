package io.vaultcfg.aws.emulator.state;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/** Generates identifiers in AWS's formats (AKIA/ASIA key ids, AIDA/ANPA/AROA unique ids, 40-char secrets). */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private Ids() {
    }

    public static String accessKeyId() {
        return "AKIA" + randomOf(BASE32, 16);
    }

    public static String temporaryAccessKeyId() {
        return "ASIA" + randomOf(BASE32, 16);
    }

    public static String secretAccessKey() {
        return randomOf(SECRET_ALPHABET, 40);
    }

    public static String sessionToken() {
        byte[] bytes = new byte[96];
        RANDOM.nextBytes(bytes);
        return "FwoGZXIvYXdzE" + Base64.getEncoder().encodeToString(bytes);
    }

    public static String userId() {
        return "AIDA" + randomOf(BASE32, 17);
    }

    public static String policyId() {
        return "ANPA" + randomOf(BASE32, 17);
    }

    public static String groupId() {
        return "AGPA" + randomOf(BASE32, 17);
    }

    public static String roleId() {
        return "AROA" + randomOf(BASE32, 17);
    }

    public static String requestId() {
        return UUID.randomUUID().toString();
    }

    public static String keyId() {
        return UUID.randomUUID().toString();
    }

    public static byte[] aesKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    public static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String randomOf(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}

package io.vaultcfg.ssh;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;

/** OpenSSH-style names for a public key: {@code ssh-ed25519 SHA256:…} and the known_hosts key field. */
final class HostKeyFingerprint {
    private HostKeyFingerprint() {
    }

    static String describe(PublicKey key) {
        return KeyType.fromKey(key) + " " + sha256(key);
    }

    static String sha256(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob(key));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** {@code ssh-ed25519 AAAA…}, as written after the host names in known_hosts. */
    static String knownHostsKeyField(PublicKey key) {
        return KeyType.fromKey(key) + " " + Base64.getEncoder().encodeToString(blob(key));
    }

    private static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }
}

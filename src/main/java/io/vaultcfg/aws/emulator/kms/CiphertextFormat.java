package io.vaultcfg.aws.emulator.kms;

import io.vaultcfg.aws.emulator.state.Ids;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The opaque CiphertextBlob: {@code 0x01 | key UUID (36 ASCII bytes) | backing-key version (4 bytes, big-endian)
 * | IV (12) | AES-256-GCM ciphertext with 16-byte tag}. The key reference inside the blob is what lets Decrypt
 * work without a KeyId (Vault's awskms seal never sends one). The header and the encryption context are both
 * authenticated as AAD, so neither can be swapped.
 */
public final class CiphertextFormat {
    private static final byte FORMAT_VERSION = 1;
    private static final int KEY_ID_LENGTH = 36;
    private static final int IV_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final int HEADER_LENGTH = 1 + KEY_ID_LENGTH + 4;

    /** A blob split into its parts; {@code sealed} is ciphertext plus tag. */
    public record Parsed(String keyId, int keyVersion, byte[] header, byte[] iv, byte[] sealed) {
    }

    private CiphertextFormat() {
    }

    public static byte[] encrypt(String keyId, int keyVersion, byte[] material, byte[] plaintext,
                                 Map<String, String> encryptionContext) {
        byte[] header = ByteBuffer.allocate(HEADER_LENGTH).put(FORMAT_VERSION)
                .put(keyId.getBytes(StandardCharsets.US_ASCII)).putInt(keyVersion).array();
        byte[] iv = Ids.randomBytes(IV_LENGTH);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(material, "AES"), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(header, encryptionContext));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(header.length + iv.length + sealed.length).put(header).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** Null when the bytes are not a blob of this format. */
    public static Parsed parse(byte[] blob) {
        if (blob == null || blob.length < HEADER_LENGTH + IV_LENGTH + TAG_BITS / 8 || blob[0] != FORMAT_VERSION) {
            return null;
        }
        String keyId = new String(blob, 1, KEY_ID_LENGTH, StandardCharsets.US_ASCII);
        int version = ByteBuffer.wrap(blob, 1 + KEY_ID_LENGTH, 4).getInt();
        return new Parsed(keyId, version, Arrays.copyOfRange(blob, 0, HEADER_LENGTH),
                Arrays.copyOfRange(blob, HEADER_LENGTH, HEADER_LENGTH + IV_LENGTH),
                Arrays.copyOfRange(blob, HEADER_LENGTH + IV_LENGTH, blob.length));
    }

    /** The plaintext, or null when the tag does not verify (wrong context, tampered blob). */
    public static byte[] decrypt(Parsed parsed, byte[] material, Map<String, String> encryptionContext) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(material, "AES"), new GCMParameterSpec(TAG_BITS, parsed.iv()));
            cipher.updateAAD(aad(parsed.header(), encryptionContext));
            return cipher.doFinal(parsed.sealed());
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    // Length-prefixed, key-sorted pairs: unambiguous whatever characters keys and values contain.
    private static byte[] aad(byte[] header, Map<String, String> encryptionContext) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        new TreeMap<>(encryptionContext).forEach((key, value) -> {
            writeLengthPrefixed(out, key);
            writeLengthPrefixed(out, value);
        });
        return out.toByteArray();
    }

    private static void writeLengthPrefixed(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }
}

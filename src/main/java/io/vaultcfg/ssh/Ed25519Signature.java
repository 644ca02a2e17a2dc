package io.vaultcfg.ssh;

import com.hierynomus.sshj.signature.SignatureEdDSA;
import java.io.ByteArrayOutputStream;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;
import java.util.Optional;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.signature.Signature;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * ssh-ed25519 signatures (the host's proof in every key exchange, and our key's login) with
 * BouncyCastle's Ed25519 arithmetic, called directly: no security provider is registered. The JDK's
 * EdDSA allocates a new object per field operation; in a short run, where the JIT never gets past its
 * first tier, that is ~4 ms of CPU per connection against ~1 ms here, on every host of a fleet.
 * A key this class cannot read as raw bytes (another provider's) goes to sshj's JDK-based signature.
 */
final class Ed25519Signature implements Signature {
    static final String NAME = "ssh-ed25519";
    /** DER prefix of an X.509 SubjectPublicKeyInfo holding a 32-byte Ed25519 key (RFC 8410). */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final ByteArrayOutputStream message = new ByteArrayOutputStream(256);
    private byte[] publicKey;
    private byte[] privateKey;
    /** Set when the key is not one this class can read: everything goes to sshj's own implementation. */
    private Signature fallback;

    @Override
    public String getSignatureName() {
        return NAME;
    }

    @Override
    public void initVerify(PublicKey key) {
        publicKey = reset(rawPublicKey(key));
        if (publicKey == null) {
            fallback.initVerify(key);
        }
    }

    @Override
    public void initSign(PrivateKey key) {
        privateKey = reset(key instanceof EdECPrivateKey edec
                ? edec.getBytes().filter(b -> b.length == Ed25519.SECRET_KEY_SIZE) : Optional.empty());
        if (privateKey == null) {
            fallback.initSign(key);
        }
    }

    /** Starts a new message; without raw key bytes, sshj's own signature takes over. Returns the bytes or null. */
    private byte[] reset(Optional<byte[]> rawKey) {
        message.reset();
        publicKey = null;
        privateKey = null;
        fallback = rawKey.isPresent() ? null : new SignatureEdDSA.Factory().create();
        return rawKey.orElse(null);
    }

    @Override
    public void update(byte[] data) {
        update(data, 0, data.length);
    }

    @Override
    public void update(byte[] data, int offset, int length) {
        if (fallback != null) {
            fallback.update(data, offset, length);
        } else {
            message.write(data, offset, length);
        }
    }

    @Override
    public byte[] sign() {
        if (fallback != null) {
            return fallback.sign();
        }
        if (privateKey == null) {
            throw new IllegalStateException("initSign was not called");
        }
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        byte[] data = message.toByteArray();
        Ed25519.sign(privateKey, 0, data, 0, data.length, signature, 0);
        return signature;
    }

    /** An Ed25519 signature goes on the wire as the raw 64 bytes. */
    @Override
    public byte[] encode(byte[] signature) {
        return signature;
    }

    /** {@code blob}: string "ssh-ed25519", then string signature (RFC 8709). */
    @Override
    public boolean verify(byte[] blob) {
        if (fallback != null) {
            return fallback.verify(blob);
        }
        if (publicKey == null) {
            throw new IllegalStateException("initVerify was not called");
        }
        byte[] signature;
        try {
            Buffer.PlainBuffer buffer = new Buffer.PlainBuffer(blob);
            String algorithm = buffer.readString();
            if (!NAME.equals(algorithm)) {
                throw new SSHRuntimeException("Expected '" + NAME + "' key algorithm, but got: " + algorithm);
            }
            signature = buffer.readBytes();
        } catch (Buffer.BufferException e) {
            throw new SSHRuntimeException(e);
        }
        byte[] data = message.toByteArray();
        return signature.length == Ed25519.SIGNATURE_SIZE
                && Ed25519.verify(signature, 0, publicKey, 0, data, 0, data.length);
    }

    /** The 32-byte key inside a standard X.509 encoding, as the JDK's (and any JCA) Ed25519 key gives it. */
    static Optional<byte[]> rawPublicKey(Key key) {
        byte[] encoded = "X.509".equals(key.getFormat()) ? key.getEncoded() : null;
        if (encoded == null || encoded.length != X509_PREFIX.length + Ed25519.PUBLIC_KEY_SIZE
                || !Arrays.equals(encoded, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length));
    }
}

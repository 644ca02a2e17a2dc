package io.vaultcfg.ssh;

import com.hierynomus.sshj.userauth.certificate.Certificate;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;

/**
 * An OpenSSH user certificate from a file ({@code CertificateFile}, or {@code KEY-cert.pub} beside a key
 * file), as OpenSSH offers it: the certificate is presented, the private key of the key it certifies
 * signs.
 */
final class UserCertificate {
    private static final long USER_CERTIFICATE = 1;
    /** A certificate file is one line; anything this large is not one. */
    private static final long MAX_SIZE = 64 * 1024;

    private UserCertificate() {
    }

    /** Reads {@code file}; refuses, naming it, anything that is not an OpenSSH user certificate. */
    static Certificate<?> read(Path file) throws HostUnreachableException {
        String text;
        try {
            if (Files.size(file) > MAX_SIZE) {
                throw new HostUnreachableException("certificate file " + file + " is too large to be a certificate");
            }
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new HostUnreachableException("certificate file " + file + " does not exist or is not readable");
        }
        String[] fields = text.split("\\s+");
        PublicKey key;
        try {
            key = fields.length < 2 ? null : new Buffer.PlainBuffer(Base64.getDecoder().decode(fields[1])).readPublicKey();
        } catch (IOException | RuntimeException e) {
            key = null;
        }
        if (!(key instanceof Certificate<?> certificate)) {
            throw new HostUnreachableException("certificate file " + file + " does not hold an OpenSSH certificate "
                    + "(expected a line such as 'ssh-ed25519-cert-v01@openssh.com AAAA...')");
        }
        if (certificate.getType() != USER_CERTIFICATE) {
            throw new HostUnreachableException("certificate file " + file + " holds a host certificate, not a user certificate");
        }
        return certificate;
    }

    /** The SSH wire form of a key or certificate, to compare keys by. */
    static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }

    /** The key itself: a certificate's certified key, else {@code key}. */
    static PublicKey plain(PublicKey key) {
        return key instanceof Certificate<?> certificate ? certificate.getKey() : key;
    }

    /** What sshj's publickey authentication sees: {@code shown} as the public key, the private key from {@code signer}. */
    record Presented(PublicKey shown, KeyProvider signer) implements KeyProvider {
        @Override
        public PrivateKey getPrivate() throws IOException {
            return signer.getPrivate();
        }

        @Override
        public PublicKey getPublic() {
            return shown;
        }

        @Override
        public KeyType getType() {
            return KeyType.fromKey(shown);
        }
    }
}

package io.vaultcfg.ssh;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * One key line of a known_hosts file: an optional marker ({@code @cert-authority}, {@code @revoked}),
 * the host patterns (or one hashed name) and the key, with where it was read for messages.
 */
record KnownHostsEntry(Path file, int line, Marker marker, KnownHostsPatterns hosts, String keyType, byte[] keyBlob) {
    enum Marker { NONE, CERT_AUTHORITY, REVOKED }

    /** {@code file:line}, for messages. */
    String location() {
        return file + ":" + line;
    }

    boolean hasKey(byte[] blob) {
        return Arrays.equals(keyBlob, blob);
    }

    /**
     * Parses one line. Comments, blank lines and lines OpenSSH itself would skip (an unreadable key,
     * an SSH-1 key) give an empty result; a {@code @revoked} line vaultcfg cannot read is an error, since
     * skipping it would accept the key it revokes.
     */
    static Optional<KnownHostsEntry> parse(Path file, int lineNumber, String text) throws MalformedKnownHostsLine {
        String line = text.strip();
        if (line.isEmpty() || line.startsWith("#")) {
            return Optional.empty();
        }
        String[] fields = line.split("\\s+");
        int next = 0;
        Marker marker = Marker.NONE;
        if (fields[0].startsWith("@")) {
            marker = switch (fields[0].toLowerCase(Locale.ROOT)) {
                case "@revoked" -> Marker.REVOKED;
                case "@cert-authority" -> Marker.CERT_AUTHORITY;
                default -> throw new MalformedKnownHostsLine(file + ":" + lineNumber + ": unknown marker " + fields[0]);
            };
            next = 1;
        }
        if (fields.length < next + 3) {
            return skipUnlessRevoked(marker, file, lineNumber, "expected host names, key type and key");
        }
        String hostField = fields[next];
        PublicKey key;
        try {
            key = new Buffer.PlainBuffer(Base64.getDecoder().decode(fields[next + 2])).readPublicKey();
        } catch (RuntimeException | Buffer.BufferException e) {
            return skipUnlessRevoked(marker, file, lineNumber, "the key is not a base64 SSH public key");
        }
        KnownHostsPatterns hosts = KnownHostsPatterns.parse(hostField);
        if (hosts == null) {
            return skipUnlessRevoked(marker, file, lineNumber, "malformed hashed host name");
        }
        return Optional.of(new KnownHostsEntry(file, lineNumber, marker, hosts, KeyType.fromKey(key).toString(), blobOf(key)));
    }

    private static Optional<KnownHostsEntry> skipUnlessRevoked(Marker marker, Path file, int line, String why)
            throws MalformedKnownHostsLine {
        if (marker == Marker.REVOKED) {
            throw new MalformedKnownHostsLine(file + ":" + line + ": cannot read this @revoked line (" + why
                    + "); refusing to connect rather than ignore a revocation");
        }
        return Optional.empty();
    }

    /** The key as sshj encodes it; entries keep their key in this form so that blobs compare equal. */
    static byte[] blobOf(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }

    /** A known_hosts line that vaultcfg must not skip but cannot read. */
    static final class MalformedKnownHostsLine extends java.io.IOException {
        MalformedKnownHostsLine(String message) {
            super(message);
        }
    }
}

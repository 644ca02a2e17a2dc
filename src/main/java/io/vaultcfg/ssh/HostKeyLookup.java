package io.vaultcfg.ssh;

import com.hierynomus.sshj.userauth.certificate.Certificate;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

import java.security.PublicKey;
import java.util.List;

/**
 * What known_hosts says about the key a host presented, decided as OpenSSH decides it: a matching
 * {@code @revoked} line wins over every other line, before or after it; then a plain line with the key,
 * or for a host certificate a {@code @cert-authority} line with its signing key (or a plain line with the
 * certificate's own key, OpenSSH's fallback); a matching plain line of the same key type with another
 * key means the key changed.
 */
final class HostKeyLookup {
    enum Status { KNOWN, UNKNOWN, CHANGED, REVOKED }

    /** @param revokedBy the {@code @revoked} line, when the status is REVOKED */
    record Verdict(Status status, KnownHostsEntry revokedBy) {
    }

    private HostKeyLookup() {
    }

    /** @param name the host as known_hosts spells it ({@code host} or {@code [host]:port}) */
    static Verdict check(List<KnownHostsEntry> entries, String name, PublicKey presented) {
        PublicKey plain = plainKey(presented);
        byte[] plainBlob = KnownHostsEntry.blobOf(plain);
        byte[] caBlob = signingKey(presented);
        for (KnownHostsEntry entry : entries) {
            if (entry.marker() == KnownHostsEntry.Marker.REVOKED && entry.hosts().matches(name)
                    && (entry.hasKey(plainBlob) || (caBlob != null && entry.hasKey(caBlob)))) {
                return new Verdict(Status.REVOKED, entry);
            }
        }
        String plainType = KeyType.fromKey(plain).toString();
        boolean sameTypeKnown = false;
        for (KnownHostsEntry entry : entries) {
            if (!entry.hosts().matches(name)) {
                continue;
            }
            if (entry.marker() == KnownHostsEntry.Marker.CERT_AUTHORITY) {
                if (caBlob != null && entry.hasKey(caBlob)) {
                    return new Verdict(Status.KNOWN, null);
                }
            } else if (entry.marker() == KnownHostsEntry.Marker.NONE) {
                if (entry.hasKey(plainBlob)) {
                    return new Verdict(Status.KNOWN, null);
                }
                sameTypeKnown |= entry.keyType().equals(plainType);
            }
        }
        return new Verdict(sameTypeKnown ? Status.CHANGED : Status.UNKNOWN, null);
    }

    /** The key itself, or the key a certificate certifies. */
    static PublicKey plainKey(PublicKey presented) {
        return presented instanceof Certificate<?> certificate ? certificate.getKey() : presented;
    }

    /** The CA key that signed a host certificate (as known_hosts entries encode keys), else null. */
    private static byte[] signingKey(PublicKey presented) {
        if (!(presented instanceof Certificate<?> certificate)) {
            return null;
        }
        try {
            return KnownHostsEntry.blobOf(new Buffer.PlainBuffer(certificate.getSignatureKey()).readPublicKey());
        } catch (Buffer.BufferException | RuntimeException e) {
            return null;
        }
    }
}

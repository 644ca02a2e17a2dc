package io.vaultcfg.ssh;

import net.schmizz.sshj.common.Buffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.vaultcfg.ssh.KnownHostsRevocationTest.sshKeygen;
import static org.assertj.core.api.Assertions.assertThat;

/** Host certificates (made by ssh-keygen) against @cert-authority and @revoked lines. */
class HostKeyLookupTest {
    @TempDir
    Path tempDir;
    String caKey;
    String hostKey;
    PublicKey certificate;

    @BeforeEach
    void signAHostKey() throws Exception {
        sshKeygen("-q", "-t", "ed25519", "-N", "", "-f", tempDir.resolve("ca").toString());
        sshKeygen("-q", "-t", "ed25519", "-N", "", "-f", tempDir.resolve("host").toString());
        sshKeygen("-q", "-s", tempDir.resolve("ca").toString(), "-h", "-I", "vault-01", "-n", "vault-01.example",
                tempDir.resolve("host.pub").toString());
        caKey = keyField(tempDir.resolve("ca.pub"));
        hostKey = keyField(tempDir.resolve("host.pub"));
        String certBase64 = Files.readString(tempDir.resolve("host-cert.pub")).split(" ")[1];
        certificate = new Buffer.PlainBuffer(Base64.getDecoder().decode(certBase64)).readPublicKey();
        assertThat(certificate).isInstanceOf(com.hierynomus.sshj.userauth.certificate.Certificate.class);
    }

    @Test
    void certificateSignedByAKnownCaIsKnown() throws Exception {
        assertThat(check("@cert-authority *.example " + caKey)).isEqualTo(HostKeyLookup.Status.KNOWN);
    }

    @Test
    void certificateSignedByARevokedCaIsRevokedWhateverTheOrder() throws Exception {
        assertThat(check("@cert-authority *.example " + caKey, "@revoked * " + caKey)).isEqualTo(HostKeyLookup.Status.REVOKED);
        assertThat(check("@revoked * " + caKey, "@cert-authority *.example " + caKey)).isEqualTo(HostKeyLookup.Status.REVOKED);
    }

    @Test
    void certificateOfARevokedHostKeyIsRevoked() throws Exception {
        assertThat(check("@cert-authority *.example " + caKey, "@revoked vault-01.example " + hostKey))
                .isEqualTo(HostKeyLookup.Status.REVOKED);
    }

    @Test
    void caOfAnotherDomainDoesNotVouch() throws Exception {
        assertThat(check("@cert-authority *.other " + caKey)).isEqualTo(HostKeyLookup.Status.UNKNOWN);
    }

    @Test
    void plainLineForTheCertifiedKeyIsOpenSshsFallback() throws Exception {
        assertThat(check("vault-01.example " + hostKey)).isEqualTo(HostKeyLookup.Status.KNOWN);
    }

    @Test
    void caKeyOnAPlainLineIsNotACertificateAuthority() throws Exception {
        assertThat(check("vault-01.example " + caKey)).isEqualTo(HostKeyLookup.Status.CHANGED);
    }

    @Test
    void revokedCaDoesNotRevokeAnUnrelatedPlainKey() throws Exception {
        sshKeygen("-q", "-t", "ed25519", "-N", "", "-f", tempDir.resolve("other").toString());
        String other = keyField(tempDir.resolve("other.pub"));
        PublicKey plain = new Buffer.PlainBuffer(Base64.getDecoder().decode(other.split(" ")[1])).readPublicKey();
        List<KnownHostsEntry> entries = entries("@revoked * " + caKey, "vault-01.example " + other);

        assertThat(HostKeyLookup.check(entries, "vault-01.example", plain).status()).isEqualTo(HostKeyLookup.Status.KNOWN);
    }

    private HostKeyLookup.Status check(String... lines) throws Exception {
        return HostKeyLookup.check(entries(lines), "vault-01.example", certificate).status();
    }

    private List<KnownHostsEntry> entries(String... lines) throws Exception {
        List<KnownHostsEntry> entries = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            entries.add(KnownHostsEntry.parse(tempDir.resolve("known_hosts"), i + 1, lines[i]).orElseThrow());
        }
        return entries;
    }

    private static String keyField(Path publicKey) throws Exception {
        String[] fields = Files.readString(publicKey).trim().split(" ");
        return fields[0] + " " + fields[1];
    }
}

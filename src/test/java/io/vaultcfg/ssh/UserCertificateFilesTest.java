package io.vaultcfg.ssh;

import io.vaultcfg.testing.ClientKeyPair;
import io.vaultcfg.testing.LocalSshd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * User certificates from files (CertificateFile, KEY-cert.pub), against a real sshd that trusts a user CA
 * and authorizes no plain key: a login proves the certificate was used, and sshd's log names it.
 */
class UserCertificateFilesTest {
    @TempDir
    Path tempDir;
    LocalSshd sshd;
    Path ca;

    @BeforeEach
    void start() throws Exception {
        sshd = LocalSshd.start(tempDir.resolve("sshd"));
        ca = ClientKeyPair.generate(tempDir.resolve("ca"), "user_ca").privateKey();
        sshd.trustUserCa(Path.of(ca + ".pub"));
    }

    @AfterEach
    void stop() {
        if (sshd != null) {
            sshd.close();
        }
    }

    SshTarget target(List<Path> keys, List<Path> certificates) throws Exception {
        Path knownHosts = tempDir.resolve("known_hosts");
        Files.writeString(knownHosts, sshd.knownHostsLine() + "\n");
        return new SshTarget("vault-01", "127.0.0.1", sshd.port(), sshd.user(), Optional.empty(), List.of(), knownHosts, false,
                Duration.ofSeconds(10), new ConnectOptions(keys, false, List.of(), Optional.empty(), Optional.empty(),
                certificates, Optional.empty()));
    }

    SshjConnector connector(Path sshDirectory) {
        return new SshjConnector(sshDirectory, Map.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "rsa"})
    void aCertificateFileLogsInWhereItsKeyAloneIsNotAuthorized(String type) throws Exception {
        ClientKeyPair key = ClientKeyPair.generate(tempDir.resolve("keys"), "id_" + type, type);
        Path certificate = sshd.certify(ca, key.publicKey(), "cert-" + type);
        Path elsewhere = Files.move(certificate, tempDir.resolve("issued-" + type + "-cert.pub"));

        try (RemoteSession session = connector(tempDir.resolve("no-ssh")).connect(target(List.of(key.privateKey()), List.of(elsewhere)))) {
            assertThat(session.exec("echo certified", null).stdout()).isEqualTo("certified\n");
        }
        assertThat(sshd.acceptedLogins()).singleElement().asString().contains("-CERT", "ID cert-" + type + " (serial 7)");
    }

    @Test
    void theCertificateBesideAKeyFileIsOfferedAfterTheKeyAsOpenSshDoes() throws Exception {
        Path ssh = tempDir.resolve("ssh");
        ClientKeyPair key = ClientKeyPair.generate(ssh, "id_ed25519");
        sshd.certify(ca, key.publicKey(), "beside");

        try (RemoteSession session = connector(ssh).connect(target(List.of(), List.of()))) {
            assertThat(session.exec("echo beside", null).stdout()).isEqualTo("beside\n");
        }
        assertThat(sshd.acceptedLogins()).singleElement().asString().contains("ID beside");
        // OpenSSH 9.2 (ssh -v "Will attempt key"): the key, then KEY-cert.pub; a CertificateFile goes first and
        // replaces the ones beside the keys
        ClientKeys keys = new ClientKeys(SshjConfig.shared(), ssh, Map.of());
        assertThat(keys.credentials(List.of(), List.of(), false).describe())
                .containsExactly(key.privateKey().toString(), "certificate " + key.privateKey() + "-cert.pub");
        Path other = Files.copy(Path.of(key.privateKey() + "-cert.pub"), tempDir.resolve("other-cert.pub"));
        assertThat(keys.credentials(List.of(), List.of(other), false).describe())
                .containsExactly("certificate " + other, key.privateKey().toString());
    }

    @Test
    void aCertificateFromAnUntrustedCaIsRefusedAndNamed() throws Exception {
        ClientKeyPair key = ClientKeyPair.generate(tempDir.resolve("keys"), "id_ed25519");
        Path rogueCa = ClientKeyPair.generate(tempDir.resolve("rogue"), "rogue_ca").privateKey();
        Path certificate = sshd.certify(rogueCa, key.publicKey(), "rogue");

        assertThatThrownBy(() -> connector(tempDir.resolve("no-ssh")).connect(target(List.of(key.privateKey()), List.of(certificate))))
                .isInstanceOf(HostUnreachableException.class)
                .hasMessageContaining("authentication failed for user '" + sshd.user() + "'")
                .hasMessageContaining("certificate " + certificate + ", " + key.privateKey());
        assertThat(sshd.acceptedLogins()).isEmpty();
    }

    @Test
    void aFileThatIsNotAUserCertificateIsRefusedBeforeTheHostIsContacted() throws Exception {
        ClientKeyPair key = ClientKeyPair.generate(tempDir.resolve("keys"), "id_ed25519");
        LocalSshd.run("ssh-keygen", "-q", "-s", ca.toString(), "-I", "host", "-h", "-n", "vault-01", key.publicKey().toString());
        Path hostCertificate = Path.of(key.privateKey() + "-cert.pub");
        long connectionsBefore = connections();

        for (Path wrong : List.of(key.publicKey(), hostCertificate, tempDir.resolve("missing-cert.pub"))) {
            assertThatThrownBy(() -> connector(tempDir.resolve("no-ssh")).connect(target(List.of(key.privateKey()), List.of(wrong))))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageStartingWith("certificate file " + wrong);
        }
        assertThat(connections()).as("connections sshd saw (its start-up probe only)").isEqualTo(connectionsBefore);
    }

    long connections() throws Exception {
        return sshd.log().lines().filter(line -> line.startsWith("Connection from")).count();
    }

    @Test
    void aCertificateFileWhoseKeyOnlySshAgentHoldsIsSignedByTheAgent() throws Exception {
        Path socket = tempDir.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(tempDir.resolve("agent.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(socket));
            ClientKeyPair key = ClientKeyPair.generate(tempDir.resolve("keys"), "id_ed25519");
            ProcessBuilder add = new ProcessBuilder("ssh-add", key.privateKey().toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", socket.toString());
            assertThat(add.start().waitFor()).isZero();
            Path certificate = sshd.certify(ca, key.publicKey(), "agent-signed");
            Files.delete(key.privateKey());

            SshjConnector connector = new SshjConnector(tempDir.resolve("no-ssh"), Map.of("SSH_AUTH_SOCK", socket.toString()));
            try (RemoteSession session = connector.connect(target(List.of(), List.of(certificate)))) {
                assertThat(session.exec("echo agent", null).stdout()).isEqualTo("agent\n");
            }
            assertThat(sshd.acceptedLogins()).singleElement().asString().contains("ED25519-CERT", "ID agent-signed");
        } finally {
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
    }
}

package io.vaultcfg.ssh;

import io.vaultcfg.lab.EmbeddedSshHost;
import io.vaultcfg.lab.EmbeddedSshOptions;
import io.vaultcfg.testing.ClientKeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
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

/** Keys held only by a real OpenSSH ssh-agent, used over its Unix socket. */
class SshAgentAuthTest {
    @TempDir
    Path tempDir;
    Process agent;
    Path socket;

    @BeforeEach
    void startAgent() throws Exception {
        socket = tempDir.resolve("agent.sock");
        agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(tempDir.resolve("agent.log").toFile()).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(socket));
    }

    @AfterEach
    void stopAgent() throws Exception {
        agent.destroy();
        agent.waitFor(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
    void aKeyOnlyTheAgentHoldsLogsIn(String type) throws Exception {
        ClientKeyPair key = ClientKeyPair.generate(tempDir.resolve("keys"), "id_" + type, type);
        sshAdd(key.privateKey());
        String authorized = key.publicKeyLine();
        Files.delete(key.privateKey());
        Files.delete(key.publicKey());

        try (EmbeddedSshHost host = EmbeddedSshHost.start(EmbeddedSshOptions.of(tempDir.resolve("host"), authorized))) {
            SshjConnector connector = new SshjConnector(tempDir.resolve("no-ssh-dir"), Map.of("SSH_AUTH_SOCK", socket.toString()));
            try (RemoteSession session = connector.connect(target(host))) {
                assertThat(session.exec("echo agent-" + type, null).stdout()).isEqualTo("agent-" + type + "\n");
            }
        }
    }

    @Test
    void keyFilesAreStillTriedAfterTheAgentsKeys() throws Exception {
        ClientKeyPair inAgent = ClientKeyPair.generate(tempDir.resolve("agent-keys"), "id_ed25519");
        sshAdd(inAgent.privateKey());
        ClientKeyPair onDisk = ClientKeyPair.generate(tempDir.resolve("ssh"), "id_ed25519");

        try (EmbeddedSshHost host = EmbeddedSshHost.start(EmbeddedSshOptions.of(tempDir.resolve("host"), onDisk.publicKeyLine()))) {
            SshjConnector connector = new SshjConnector(tempDir.resolve("ssh"), Map.of("SSH_AUTH_SOCK", socket.toString()));
            try (RemoteSession session = connector.connect(target(host))) {
                assertThat(session.exec("echo file", null).stdout()).isEqualTo("file\n");
            }
        }
    }

    @Test
    void anAgentThatCannotBeReachedIsSkippedAndNamedWhenNothingElseIsThere() throws Exception {
        ClientKeyPair onDisk = ClientKeyPair.generate(tempDir.resolve("ssh"), "id_ed25519");
        Path gone = tempDir.resolve("gone.sock");
        try (EmbeddedSshHost host = EmbeddedSshHost.start(EmbeddedSshOptions.of(tempDir.resolve("host"), onDisk.publicKeyLine()))) {
            SshjConnector withFile = new SshjConnector(tempDir.resolve("ssh"), Map.of("SSH_AUTH_SOCK", gone.toString()));
            try (RemoteSession session = withFile.connect(target(host))) {
                assertThat(session.exec("echo fallback", null).stdout()).isEqualTo("fallback\n");
            }

            SshjConnector nothing = new SshjConnector(tempDir.resolve("empty"), Map.of("SSH_AUTH_SOCK", gone.toString()));
            assertThatThrownBy(() -> nothing.connect(target(host)))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageContaining("cannot reach ssh-agent at " + gone);
        }
    }

    @Test
    void aRefusedAgentKeyIsNamedInTheAuthenticationFailure() throws Exception {
        ClientKeyPair inAgent = ClientKeyPair.generate(tempDir.resolve("agent-keys"), "id_ed25519");
        sshAdd(inAgent.privateKey());
        ClientKeyPair other = ClientKeyPair.generate(tempDir.resolve("other"), "id_ed25519");

        try (EmbeddedSshHost host = EmbeddedSshHost.start(EmbeddedSshOptions.of(tempDir.resolve("host"), other.publicKeyLine()))) {
            SshjConnector connector = new SshjConnector(tempDir.resolve("empty"), Map.of("SSH_AUTH_SOCK", socket.toString()));
            assertThatThrownBy(() -> connector.connect(target(host)))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageContaining("authentication failed for user")
                    .hasMessageContaining("1 key(s) of ssh-agent " + socket);
        }
    }

    @Test
    void theAgentProtocolListsAndSignsWithRsaSha2() throws Exception {
        ClientKeyPair key = ClientKeyPair.generate(tempDir.resolve("keys"), "id_rsa", "rsa");
        sshAdd(key.privateKey());
        SshAgentClient client = new SshAgentClient(socket);

        List<SshAgentClient.Identity> identities = client.identities();
        assertThat(identities).hasSize(1);
        assertThat(identities.get(0).type()).isEqualTo("ssh-rsa");
        assertThat(identities.get(0).comment()).isEqualTo("id_rsa");

        byte[] sha512 = client.sign(identities.get(0).blob(), "data".getBytes(StandardCharsets.UTF_8), SshAgentClient.RSA_SHA2_512);
        byte[] sha256 = client.sign(identities.get(0).blob(), "data".getBytes(StandardCharsets.UTF_8), SshAgentClient.RSA_SHA2_256);
        assertThat(new String(sha512, 4, "rsa-sha2-512".length(), StandardCharsets.US_ASCII)).isEqualTo("rsa-sha2-512");
        assertThat(new String(sha256, 4, "rsa-sha2-256".length(), StandardCharsets.US_ASCII)).isEqualTo("rsa-sha2-256");
    }

    private SshTarget target(EmbeddedSshHost host) throws Exception {
        Path knownHosts = tempDir.resolve("known_hosts");
        Files.writeString(knownHosts, host.knownHostsLine() + "\n");
        return new SshTarget("vault-01", "127.0.0.1", host.port(), System.getProperty("user.name"), Optional.empty(), List.of(),
                knownHosts, false, Duration.ofSeconds(10));
    }

    private void sshAdd(Path key) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
        builder.environment().put("SSH_AUTH_SOCK", socket.toString());
        Process add = builder.start();
        String output = new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(add.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(add.exitValue()).as(output).isZero();
    }
}

package io.vaultcfg.ssh;

import io.vaultcfg.lab.EmbeddedSshHost;
import io.vaultcfg.lab.EmbeddedSshOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.vaultcfg.ssh.KnownHostsRevocationTest.sshKeygen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key files as OpenSSH reads them: passphrase-protected (OpenSSH format and PEM) and permission checks. */
class ClientKeyFilesTest {
    static final String PASSPHRASE = "correct horse battery";
    @TempDir
    Path tempDir;

    @Test
    void passphraseProtectedKeysOpenWithThePassphraseFromTheEnvironment() throws Exception {
        for (List<String> format : List.of(List.of("-t", "ed25519"), List.of("-t", "rsa", "-m", "PEM"), List.of("-t", "rsa"))) {
            Path key = encryptedKey(format);
            assertThat(Files.readString(key)).contains(format.contains("PEM") ? "Proc-Type: 4,ENCRYPTED" : "OPENSSH PRIVATE KEY");
            try (EmbeddedSshHost host = host(key)) {
                SshjConnector connector = connector(Map.of(KeyPassphrases.ENVIRONMENT_VARIABLE, PASSPHRASE));
                try (RemoteSession session = connector.connect(target(host.port(), key, host))) {
                    assertThat(session.exec("echo unlocked", null).stdout()).as(format.toString()).isEqualTo("unlocked\n");
                }
            }
        }
    }

    @Test
    void aWrongPassphraseFailsBeforeTheHostIsContacted() throws Exception {
        Path key = encryptedKey(List.of("-t", "ed25519"));
        SshjConnector connector = connector(Map.of(KeyPassphrases.ENVIRONMENT_VARIABLE, "wrong guess"));

        assertThatThrownBy(() -> connector.connect(target(SshjConnectFailureTest.freePort(), key, null)))
                .isInstanceOf(HostUnreachableException.class)
                .hasMessage("cannot decrypt private key file " + key + ": the passphrase in "
                        + KeyPassphrases.ENVIRONMENT_VARIABLE + " is wrong for this key");
    }

    @Test
    void withoutPassphraseOrTerminalTheMessageSaysWhatToDo() throws Exception {
        Path key = encryptedKey(List.of("-t", "ed25519"));

        assertThatThrownBy(() -> connector(Map.of()).connect(target(SshjConnectFailureTest.freePort(), key, null)))
                .isInstanceOf(HostUnreachableException.class)
                .hasMessageContaining("passphrase-protected and there is no terminal")
                .hasMessageContaining("ssh-add " + key)
                .hasMessageContaining(KeyPassphrases.ENVIRONMENT_VARIABLE);
    }

    @Test
    void aKeyFileOthersMayReadIsRefusedAsOpenSshDoes() throws Exception {
        sshKeygen("-q", "-t", "ed25519", "-N", "", "-f", tempDir.resolve("id_open").toString());
        Path key = tempDir.resolve("id_open");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));

        assertThatThrownBy(() -> connector(Map.of()).connect(target(SshjConnectFailureTest.freePort(), key, null)))
                .isInstanceOf(HostUnreachableException.class)
                .hasMessageStartingWith("UNPROTECTED PRIVATE KEY FILE: " + key + " has permissions rw-r-----")
                .hasMessageContaining("chmod 600");

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> connector(Map.of()).connect(target(SshjConnectFailureTest.freePort(), key, null)))
                .isInstanceOf(HostUnreachableException.class)
                .hasMessageContaining("connection refused");
    }

    private Path encryptedKey(List<String> typeAndFormat) throws Exception {
        Path key = tempDir.resolve("key-" + System.nanoTime());
        List<String> args = new java.util.ArrayList<>(List.of("-q", "-N", PASSPHRASE, "-f", key.toString()));
        args.addAll(typeAndFormat);
        sshKeygen(args.toArray(String[]::new));
        return key;
    }

    private EmbeddedSshHost host(Path key) throws Exception {
        return EmbeddedSshHost.start(EmbeddedSshOptions.of(tempDir.resolve("host-" + System.nanoTime()), Path.of(key + ".pub")));
    }

    private SshjConnector connector(Map<String, String> environment) {
        return new SshjConnector(tempDir.resolve("no-ssh-dir"), environment);
    }

    private SshTarget target(int port, Path key, EmbeddedSshHost host) throws Exception {
        Path knownHosts = tempDir.resolve("known_hosts");
        Files.writeString(knownHosts, host == null ? "" : host.knownHostsLine() + "\n");
        return new SshTarget("vault-01", "127.0.0.1", port, System.getProperty("user.name"), Optional.of(key), List.of(),
                knownHosts, false, Duration.ofSeconds(10));
    }
}

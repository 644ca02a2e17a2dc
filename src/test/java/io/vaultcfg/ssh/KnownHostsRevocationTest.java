package io.vaultcfg.ssh;

import io.vaultcfg.testing.SshHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** known_hosts read as OpenSSH reads it, against a real embedded SSH host. */
class KnownHostsRevocationTest {
    @TempDir
    Path tempDir;
    final SshjConnector connector = new SshjConnector();

    @Test
    void revokedLineWinsOverAPlainLineAfterIt() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            String plain = hosts.host(0).knownHostsLine();
            Files.write(hosts.knownHosts(), List.of("# revoked after the breach", "@revoked * " + keyField(plain), plain));

            assertRevoked(hosts, "known_hosts:2");
        }
    }

    @Test
    void revokedLineWinsOverAPlainLineBeforeIt() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            String plain = hosts.host(0).knownHostsLine();
            Files.write(hosts.knownHosts(), List.of(plain, "@revoked " + plain));

            assertRevoked(hosts, "known_hosts:2");
        }
    }

    @Test
    void revokedLineWithAHashedHostNameIsHonoured() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            String plain = hosts.host(0).knownHostsLine();
            Files.write(hosts.knownHosts(), List.of(plain));
            sshKeygen("-H", "-f", hosts.knownHosts().toString());
            String hashed = Files.readAllLines(hosts.knownHosts()).get(0);
            assertThat(hashed).startsWith("|1|");
            Files.write(hosts.knownHosts(), List.of(plain, "@revoked " + hashed));

            assertRevoked(hosts, "known_hosts:2");
        }
    }

    @Test
    void revokedKeyIsRefusedEvenWithAcceptNewAndNotWritten() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            String line = "@revoked * " + keyField(hosts.host(0).knownHostsLine());
            Files.write(hosts.knownHosts(), List.of(line));

            assertThatThrownBy(() -> connector.connect(withAcceptNew(hosts.target(0))))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageStartingWith("REVOKED HOST KEY for vault-00");
            assertThat(Files.readAllLines(hosts.knownHosts())).containsExactly(line);
        }
    }

    @Test
    void revocationForAnotherHostDoesNotApply() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            String plain = hosts.host(0).knownHostsLine();
            Files.write(hosts.knownHosts(), List.of("@revoked other.example " + keyField(plain), plain));

            try (RemoteSession session = connector.connect(hosts.target(0))) {
                assertThat(session.exec("echo ok", null).stdout()).isEqualTo("ok\n");
            }
        }
    }

    @Test
    void revokedBastionKeyIsRefusedAsTheBastion() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 2)) {
            Files.writeString(hosts.knownHosts(), "@revoked " + hosts.host(0).knownHostsLine() + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);

            assertThatThrownBy(() -> connector.connect(hosts.targetVia(1, 0)))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageStartingWith("REVOKED HOST KEY for bastion 127.0.0.1 of vault-01");
        }
    }

    @Test
    void aNegatedPatternRulesTheLineOut() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            String name = "[127.0.0.1]:" + hosts.host(0).port();
            Files.write(hosts.knownHosts(), List.of("*,!" + name + " " + keyField(hosts.host(0).knownHostsLine())));

            assertThatThrownBy(() -> connector.connect(hosts.target(0)))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageStartingWith("host key for vault-00 (" + name + ") is not in");
        }
    }

    @Test
    void wildcardPatternsAndCaseAreMatchedAsOpenSsh() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            Files.write(hosts.knownHosts(), List.of("other,[127.0.0.?]:*" + " " + keyField(hosts.host(0).knownHostsLine())));

            try (RemoteSession session = connector.connect(hosts.target(0))) {
                assertThat(session.exec("echo ok", null).stdout()).isEqualTo("ok\n");
            }
        }
    }

    @Test
    void acceptNewHashesTheNewEntryWhenTheFileIsHashed() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            Files.write(hosts.knownHosts(), List.of("other.example " + keyField(hosts.host(0).knownHostsLine())));
            sshKeygen("-H", "-f", hosts.knownHosts().toString());
            Files.deleteIfExists(Path.of(hosts.knownHosts() + ".old"));

            try (RemoteSession session = connector.connect(withAcceptNew(hosts.target(0)))) {
                assertThat(session.exec("echo first", null).stdout()).isEqualTo("first\n");
            }

            List<String> lines = Files.readAllLines(hosts.knownHosts());
            assertThat(lines).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("|1|"));
            assertThat(String.join("\n", lines)).doesNotContain("127.0.0.1");
            // OpenSSH itself finds the hashed entry
            String found = sshKeygen("-F", "[127.0.0.1]:" + hosts.host(0).port(), "-f", hosts.knownHosts().toString());
            assertThat(found).contains(keyField(hosts.host(0).knownHostsLine()));
            try (RemoteSession session = connector.connect(hosts.target(0))) {
                assertThat(session.exec("echo strict", null).stdout()).isEqualTo("strict\n");
            }
        }
    }

    @Test
    void acceptNewWritesPlainNamesInAPlainFile() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            hosts.forgetAll();
            try (RemoteSession session = connector.connect(withAcceptNew(hosts.target(0)))) {
                assertThat(session.exec("true", null).exitCode()).isZero();
            }
            assertThat(Files.readAllLines(hosts.knownHosts())).containsExactly(hosts.host(0).knownHostsLine());
        }
    }

    @Test
    void hostNamesWithControlCharactersAreRefusedBeforeConnecting() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            hosts.forgetAll();
            SshTarget direct = hosts.target(0);
            SshTarget injected = new SshTarget(direct.name(), "127.0.0.1\n@revoked * ssh-ed25519 AAAA", direct.port(), direct.user(),
                    direct.privateKey(), List.of(), direct.knownHosts(), true, direct.connectTimeout());

            assertThatThrownBy(() -> connector.connect(injected))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessage("host name of vault-00 (ansible_host) contains a control character; refused");
            assertThat(hosts.knownHosts()).doesNotExist();
        }
    }

    @Test
    void anUnreadableRevokedLineStopsTheConnection() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            Files.write(hosts.knownHosts(), List.of(hosts.host(0).knownHostsLine(), "@revoked * ssh-ed25519 not-base64!"));

            assertThatThrownBy(() -> connector.connect(hosts.target(0)))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageContaining(hosts.knownHosts() + ":2: cannot read this @revoked line");
        }
    }

    private void assertRevoked(SshHosts hosts, String line) {
        String name = "[127.0.0.1]:" + hosts.host(0).port();
        assertThatThrownBy(() -> connector.connect(hosts.target(0)))
                .isInstanceOf(HostUnreachableException.class)
                .hasMessageStartingWith("REVOKED HOST KEY for vault-00 (" + name + "): the host presents ssh-")
                .hasMessageContaining(hosts.knownHosts().getParent().resolve(line).toString() + " marks @revoked")
                .hasMessageNotContaining("ssh-keygen -R")
                .hasMessageNotContaining("remove");
    }

    static String keyField(String knownHostsLine) {
        String[] fields = knownHostsLine.split(" ");
        return fields[1] + " " + fields[2];
    }

    static SshTarget withAcceptNew(SshTarget t) {
        return new SshTarget(t.name(), t.address(), t.port(), t.user(), t.privateKey(), t.jumps(), t.knownHosts(), true,
                t.connectTimeout());
    }

    static String sshKeygen(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("ssh-keygen"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}

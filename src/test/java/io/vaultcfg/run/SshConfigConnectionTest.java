package io.vaultcfg.run;

import io.vaultcfg.config.ConfigException;
import io.vaultcfg.inventory.ConnectionVars;
import io.vaultcfg.ssh.RemoteSession;
import io.vaultcfg.ssh.SshConfigSources;
import io.vaultcfg.ssh.SshTarget;
import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.SshHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hosts whose address, port, user, key, known_hosts and bastion are only in an ssh config file, reached for real. */
class SshConfigConnectionTest {
    @TempDir
    Path tempDir;

    private SshTarget target(Path home, String name, Map<String, Object> vars) {
        ConnectionVars connection = ConnectionVars.parse(name, vars, variable -> "inv.yml:7");
        SshConfigSources sources = new SshConfigSources(home, System.getProperty("user.name"), List.of(home.resolve("none")));
        return new SshConnectionSettings(sources).target(name, connection, false, Duration.ofSeconds(10));
    }

    private static String keyOf(String knownHostsLine) {
        return knownHostsLine.substring(knownHostsLine.indexOf(' ') + 1);
    }

    @Test
    void anAliasWithItsBastionOnlyInTheUsersConfigIsReached() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir.resolve("hosts"), 2)) {
            Path home = tempDir.resolve("home");
            Files.createDirectories(home.resolve(".ssh"));
            Files.writeString(home.resolve(".ssh/config"), String.join("\n",
                    "Host bastion",
                    "  HostName 127.0.0.1",
                    "  Port " + hosts.host(0).port(),
                    "Host vault-*",
                    "  HostName 127.0.0.1",
                    "  Port " + hosts.host(1).port(),
                    "  ProxyJump bastion",
                    "Host *",
                    "  IdentityFile " + hosts.clientKey().privateKey(),
                    "  IdentitiesOnly yes",
                    "  UserKnownHostsFile " + hosts.knownHosts(),
                    "  ServerAliveInterval 7",
                    ""));
            SshTarget target = target(home, "vault-01", Map.of());
            assertThat(target.port()).isEqualTo(hosts.host(1).port());
            assertThat(target.jumps()).hasSize(1);
            assertThat(target.options().keepAlive().orElseThrow().intervalSeconds()).isEqualTo(7);
            try (RemoteSession session = new SshjConnector(home.resolve(".ssh"), Map.of()).connect(target)) {
                assertThat(session.exec("echo \"$HOST_ROOT\"", null).stdout().trim()).isEqualTo(hosts.host(1).root().toString());
            }
        }
    }

    @Test
    void hostKeyAliasAndEveryUserKnownHostsFileOfTheCommonArgsAreUsed() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir.resolve("hosts"), 1)) {
            Path home = tempDir.resolve("home");
            Files.createDirectories(home);
            Path empty = Files.writeString(tempDir.resolve("first_known_hosts"), "");
            Path aliased = Files.writeString(tempDir.resolve("second_known_hosts"),
                    "vault-lb " + keyOf(hosts.host(0).knownHostsLine()) + "\n");
            Path config = Files.writeString(tempDir.resolve("vaultcfg_ssh_config"),
                    "Host 127.0.0.1\n  HostKeyAlias vault-lb\n  IdentityFile " + hosts.clientKey().privateKey() + "\n");
            Map<String, Object> vars = Map.of("ansible_host", "127.0.0.1", "ansible_port", hosts.host(0).port(),
                    "ansible_ssh_common_args", "-F " + config + " -o 'UserKnownHostsFile=" + empty + " " + aliased + "'"
                            + " -o ConnectTimeout=4");
            SshTarget target = target(home, "vault-00", vars);
            assertThat(target.connectTimeout()).isEqualTo(Duration.ofSeconds(4));
            try (RemoteSession session = new SshjConnector(home.resolve(".ssh"), Map.of()).connect(target)) {
                assertThat(session.exec("echo ok", null).stdout()).isEqualTo("ok\n");
            }
        }
    }

    @Test
    void aProxyCommandInTheInventorysCommonArgsCarriesTheSession() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir.resolve("hosts"), 1)) {
            Path home = Files.createDirectories(tempDir.resolve("home"));
            Path proxy = tempDir.resolve("tcp proxy.sh");
            Files.writeString(proxy, "#!/bin/bash\necho \"$1 $2\" > \"$(dirname \"$0\")/proxied\"\n"
                    + "exec 3<>\"/dev/tcp/127.0.0.1/$2\" || exit 7\ncat <&3 &\nexec cat >&3\n");
            Files.setPosixFilePermissions(proxy, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            Files.writeString(home.resolve("known_hosts"), "[db.internal]:" + hosts.host(0).port() + " "
                    + keyOf(hosts.host(0).knownHostsLine()) + "\n");
            Map<String, Object> vars = Map.of("ansible_host", "db.internal", "ansible_port", hosts.host(0).port(),
                    "ansible_ssh_private_key_file", hosts.clientKey().privateKey().toString(),
                    "ansible_ssh_common_args", "-F none -o UserKnownHostsFile=" + home.resolve("known_hosts")
                            + " -o 'ProxyCommand=\"" + proxy + "\" %h %p'");
            SshTarget target = target(home, "vault-00", vars);
            assertThat(target.options().proxyCommand().orElseThrow().origin()).isEqualTo("inv.yml:7");

            try (RemoteSession session = new SshjConnector(home.resolve(".ssh"), Map.of()).connect(target)) {
                assertThat(session.exec("echo \"$HOST_ROOT\"", null).stdout().trim()).isEqualTo(hosts.host(0).root().toString());
            }
            assertThat(Files.readString(tempDir.resolve("proxied"))).isEqualTo("db.internal " + hosts.host(0).port() + "\n");
        }
    }

    @Test
    void aMissingConfigFileNamedByTheInventoryIsBadInput() {
        assertThatThrownBy(() -> target(tempDir, "h", Map.of("vaultcfg_ssh_config_file", tempDir.resolve("nope").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("inv.yml:7").hasMessageContaining("does not exist");
        assertThat(target(tempDir, "h", Map.of("vaultcfg_ssh_config_file", "none")).address()).isEqualTo("h");
    }
}

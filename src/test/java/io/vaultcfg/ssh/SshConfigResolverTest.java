package io.vaultcfg.ssh;

import io.vaultcfg.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ~/.ssh/config and command-line options combined as OpenSSH combines them. */
class SshConfigResolverTest {
    @TempDir
    Path home;

    SshConfigSources sources() {
        return new SshConfigSources(home, "admin", List.of(Path.of("/etc/ssh/ssh_known_hosts")));
    }

    SshConfigFile config(String text) throws IOException {
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/config"), text);
        return SshConfigFile.read(home.resolve(".ssh/config"), false, home, "test");
    }

    SshHostSettings resolve(String host, SshConfigFile file, SshConfigLine... commandLine) {
        return new SshConfigResolver(sources()).resolve(host, List.of(commandLine), file, false);
    }

    static SshConfigLine option(String keyword, String... args) {
        return SshConfigLine.commandLine(keyword, List.of(args), "inv.yml:4", "ansible_ssh_common_args");
    }

    @Test
    void hostPatternsWithNegationAndFirstValueWins() throws IOException {
        SshConfigFile file = config("""
                # comment
                Host vault-* !vault-99
                  HostName 10.0.0.%h
                  User ops
                  Port 2222
                Host *
                  User nobody
                  Port 22
                """.replace("10.0.0.%h", "%h.dc1.example"));
        SshHostSettings vault01 = resolve("vault-01", file);
        assertThat(vault01.hostName()).isEqualTo("vault-01.dc1.example");
        assertThat(vault01.user()).isEqualTo("ops");
        assertThat(vault01.port()).isEqualTo(2222);
        SshHostSettings excluded = resolve("vault-99", file);
        assertThat(excluded.hostName()).isEqualTo("vault-99");
        assertThat(excluded.user()).isEqualTo("nobody");
    }

    @Test
    void theInventoryWinsAndVaultcfgDefaultsNeverOverrideTheFile() throws IOException {
        SshConfigFile file = config("Host db\n  User fromfile\n  Port 2200\n  IdentityFile ~/.ssh/file_key\n");
        SshHostSettings fromFile = resolve("db", file);
        assertThat(fromFile.user()).isEqualTo("fromfile");
        assertThat(fromFile.port()).isEqualTo(2200);
        assertThat(fromFile.identityFiles()).containsExactly(home.resolve(".ssh/file_key"));

        SshHostSettings inventoryFirst = resolve("db", file, option("User", "deploy"), option("Port", "2201"),
                option("IdentityFile", "/keys/inv_key"));
        assertThat(inventoryFirst.user()).isEqualTo("deploy");
        assertThat(inventoryFirst.port()).isEqualTo(2201);
        // IdentityFile accumulates as in OpenSSH: the inventory's first
        assertThat(inventoryFirst.identityFiles()).containsExactly(Path.of("/keys/inv_key"), home.resolve(".ssh/file_key"));

        SshHostSettings nothing = resolve("other", file);
        assertThat(nothing.user()).isEqualTo("admin");
        assertThat(nothing.port()).isEqualTo(22);
        assertThat(nothing.identityFiles()).isEmpty();
    }

    @Test
    void includeWithGlobsRelativeToDotSshAndUnderTheIncludingHostBlock() throws IOException {
        Files.createDirectories(home.resolve(".ssh/config.d"));
        Files.writeString(home.resolve(".ssh/config.d/10-a.conf"), "Host a\n  HostName a.example\n");
        Files.writeString(home.resolve(".ssh/config.d/20-b.conf"), "Host b\n  HostName b.example\n");
        Files.writeString(home.resolve(".ssh/only-for-c"), "Port 2022\n");
        SshConfigFile file = config("Include config.d/*.conf\nHost c\n  Include only-for-c\nHost *\n  Include no-such-file\n");
        assertThat(resolve("a", file).hostName()).isEqualTo("a.example");
        assertThat(resolve("b", file).hostName()).isEqualTo("b.example");
        assertThat(resolve("c", file).port()).isEqualTo(2022);
        assertThat(resolve("a", file).port()).isEqualTo(22);
    }

    @Test
    void matchAndUnknownOptionsAreRefusedWithFileAndLine() throws IOException {
        assertThatThrownBy(() -> config("Host a\n  User x\nMatch host a\n  User y\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(home.resolve(".ssh/config") + ":3: field 'Match': Match blocks are not supported");
        SshConfigFile file = config("Host a\n  Ciphers aes128-ctr\nHost *\n  ForwardAgent yes\n  ControlMaster auto\n");
        assertThatThrownBy(() -> resolve("a", file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(home.resolve(".ssh/config") + ":2: field 'Ciphers': unsupported ssh option 'Ciphers'");
        // options of a block that does not apply are not the host's; options with no effect for vaultcfg are accepted
        assertThat(resolve("b", file).hostName()).isEqualTo("b");
        assertThatThrownBy(() -> resolve("b", file, option("IdentityAgent", "/tmp/agent")))
                .hasMessageContaining("inv.yml:4: field 'ansible_ssh_common_args': unsupported ssh option 'IdentityAgent'");
        assertThatThrownBy(() -> resolve("b", file, option("RevokedHostKeys", "/etc/ssh/revoked")))
                .hasMessageContaining("inv.yml:4: field 'ansible_ssh_common_args': unsupported ssh option 'RevokedHostKeys'");
    }

    @Test
    void proxyCommandIsTheRestOfTheLineWithItsTokensExpanded() throws IOException {
        SshConfigFile file = config("Host vault-*\n  HostName %h.dc1\n  User ops\n  Port 2222\n"
                + "  ProxyCommand ssh -W %h:%p -l %r \"bastion 1\" # %n 100%%\n");
        ProxyCommand proxy = resolve("vault-01", file).proxyCommand().orElseThrow();
        assertThat(proxy.command()).isEqualTo("ssh -W vault-01.dc1:2222 -l ops \"bastion 1\" # vault-01 100%");
        assertThat(proxy.origin()).isEqualTo(home.resolve(".ssh/config") + ":5");
        // the inventory's -o ProxyCommand=... is one value, as ssh reads it
        assertThat(resolve("vault-01", file, option("ProxyCommand", "nc  %h %p")).proxyCommand().orElseThrow().command())
                .isEqualTo("nc  vault-01.dc1 2222");
        assertThatThrownBy(() -> resolve("vault-01", config("Host *\n  ProxyCommand nc %k %p\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(home.resolve(".ssh/config") + ":2: field 'ProxyCommand': unsupported token '%k'");
    }

    @Test
    void namesWithShellMetacharactersAreRefusedBeforeTheyReachAProxyCommand() throws IOException {
        SshConfigFile file = config("Host *\n  ProxyCommand nc %h %p\n");
        assertThatThrownBy(() -> resolve("db$(touch /tmp/owned)", file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(home.resolve(".ssh/config") + ":2: field 'ProxyCommand': host name contains '$'");
        assertThatThrownBy(() -> resolve("db", file, option("User", "ops;reboot")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inv.yml:4: field 'ansible_ssh_common_args': user name contains ';'");
        assertThatThrownBy(() -> resolve("db", config("Host *\n  User `id`\n  ProxyCommand nc %h %p\n")))
                .hasMessageContaining(home.resolve(".ssh/config") + ":2: field 'User': user name contains '`'");
        // without a ProxyCommand such a user never reaches a shell
        assertThat(resolve("db", config("Host *\n  User `id`\n")).user()).isEqualTo("`id`");
    }

    @Test
    void theFirstOfProxyJumpAndProxyCommandWinsAndNoneCountsAsGiven() throws IOException {
        SshConfigFile jumpFirst = config("Host a\n  ProxyJump bastion\nHost * !bastion\n  ProxyCommand nc %h %p\n");
        assertThat(resolve("a", jumpFirst).jumps()).extracting(JumpHost::host).containsExactly("bastion");
        assertThat(resolve("a", jumpFirst).proxyCommand()).isEmpty();
        assertThat(resolve("b", jumpFirst).proxyCommand()).isPresent();
        SshConfigFile commandFirst = config("Host a\n  ProxyCommand nc %h %p\nHost * !bastion !other\n  ProxyJump bastion\n");
        assertThat(resolve("a", commandFirst).proxyCommand()).isPresent();
        assertThat(resolve("a", commandFirst).jumps()).isEmpty();
        SshHostSettings noneFirst = resolve("a", commandFirst, option("ProxyCommand", "none"));
        assertThat(noneFirst.proxyCommand()).isEmpty();
        assertThat(noneFirst.jumps()).isEmpty();
        SshHostSettings inventoryJump = resolve("a", commandFirst, option("ProxyJump", "other"));
        assertThat(inventoryJump.proxyCommand()).isEmpty();
        assertThat(inventoryJump.jumps()).extracting(JumpHost::host).containsExactly("other");
    }

    @Test
    void certificateFilesAccumulateWithTheirTokensTheInventorysFirst() throws IOException {
        SshConfigFile file = config("Host db\n  User ops\n  CertificateFile ~/.ssh/%r-cert.pub\n"
                + "Host *\n  CertificateFile /certs/%h-cert.pub\n");
        assertThat(resolve("db", file, option("CertificateFile", "/inv/cert.pub")).certificateFiles())
                .containsExactly(Path.of("/inv/cert.pub"), home.resolve(".ssh/ops-cert.pub"), Path.of("/certs/db-cert.pub"));
        assertThatThrownBy(() -> resolve("db", config("Host *\n  CertificateFile a b\n")))
                .hasMessageContaining(":2: field 'CertificateFile': CertificateFile takes exactly one file");
    }

    @Test
    void strictHostKeyCheckingAskIsYesAcceptNewTrustsOnFirstUseNoIsRefused() throws IOException {
        SshConfigFile file = config("Host ask\n StrictHostKeyChecking ask\nHost new\n StrictHostKeyChecking accept-new\n"
                + "Host off\n StrictHostKeyChecking=no\n");
        assertThat(resolve("ask", file).acceptNewHostKey()).isFalse();
        assertThat(resolve("new", file).acceptNewHostKey()).isTrue();
        assertThat(resolve("new", file, option("StrictHostKeyChecking", "yes")).acceptNewHostKey()).isFalse();
        assertThatThrownBy(() -> resolve("off", file)).hasMessageContaining(":6: field 'StrictHostKeyChecking'")
                .hasMessageContaining("--ssh-accept-new");
    }

    @Test
    void everyKnownHostsFileIsKeptAndTheSystemFileReadByDefault() throws IOException {
        SshConfigFile file = config("Host fixed\n  GlobalKnownHostsFile /srv/global_hosts\n");
        SshHostSettings defaults = resolve("any", file);
        assertThat(defaults.knownHosts()).isEqualTo(home.resolve(".ssh/known_hosts"));
        assertThat(defaults.knownHostsToRead()).containsExactly(home.resolve(".ssh/known_hosts"),
                home.resolve(".ssh/known_hosts2"), Path.of("/etc/ssh/ssh_known_hosts"));
        SshHostSettings several = resolve("fixed", file, option("UserKnownHostsFile", "/a/known", "~/b/known"));
        assertThat(several.knownHosts()).isEqualTo(Path.of("/a/known"));
        assertThat(several.knownHostsToRead()).containsExactly(Path.of("/a/known"), home.resolve("b/known"),
                Path.of("/srv/global_hosts"));
    }

    @Test
    void timeoutsKeepAlivesAndHostKeyAliasAreApplied() throws IOException {
        SshConfigFile file = config("Host *\n  ServerAliveCountMax 2\n  HostKeyAlias vault-lb\n");
        SshHostSettings settings = resolve("a", file, option("ConnectTimeout", "3"), option("ServerAliveInterval", "5"));
        assertThat(settings.connectTimeout()).contains(Duration.ofSeconds(3));
        assertThat(settings.keepAlive()).contains(new KeepAlivePolicy(5, 2));
        assertThat(settings.hostKeyAlias()).contains("vault-lb");
        assertThatThrownBy(() -> resolve("a", file, option("ServerAliveInterval", "0")))
                .hasMessageContaining("inv.yml:4").hasMessageContaining("ServerAliveInterval must be a number from 1");
    }

    @Test
    void proxyJumpHopsAreLookedUpInTheSameFile() throws IOException {
        SshConfigFile file = config("""
                Host bastion
                  HostName 192.0.2.10
                  User jumper
                  Port 2022
                  IdentityFile ~/.ssh/bastion_key
                  IdentitiesOnly yes
                Host vault-*
                  ProxyJump bastion,other@[2001:db8::1]:2200
                """);
        SshHostSettings settings = resolve("vault-01", file);
        assertThat(settings.jumps()).containsExactly(
                new JumpHost("jumper", "192.0.2.10", 2022, List.of(home.resolve(".ssh/bastion_key")), true),
                new JumpHost("other", "2001:db8::1", 2200));
        assertThat(resolve("vault-01", file, option("ProxyJump", "none")).jumps()).isEmpty();
        SshConfigFile nested = config("Host bastion\n  ProxyJump outer\nHost vault-*\n  ProxyJump bastion\n");
        assertThatThrownBy(() -> resolve("vault-01", nested)).hasMessageContaining(":2: field 'ProxyJump'")
                .hasMessageContaining("has its own ProxyJump");
    }

    @Test
    void unsafeNamesAndTokensAreRefused() throws IOException {
        SshConfigFile file = config("Host a\n  HostName a;touch\nHost b\n  IdentityFile ~/.ssh/%C\n");
        assertThatThrownBy(() -> resolve("a", file)).hasMessageContaining(":2: field 'HostName'").hasMessageContaining("';'");
        assertThatThrownBy(() -> resolve("b", file)).hasMessageContaining(":4: field 'IdentityFile'")
                .hasMessageContaining("unsupported token '%C'");
    }

    @Test
    void aMissingNamedFileIsAnErrorAndAMissingDefaultFileIsEmpty() {
        assertThat(SshConfigFile.read(home.resolve(".ssh/config"), false, home, "x").lines()).isEmpty();
        assertThatThrownBy(() -> SshConfigFile.read(home.resolve("nope"), true, home, "inv.yml:9"))
                .hasMessageContaining("inv.yml:9").hasMessageContaining("does not exist");
    }
}

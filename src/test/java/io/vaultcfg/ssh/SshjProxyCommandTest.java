package io.vaultcfg.ssh;

import io.vaultcfg.testing.SshHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * ProxyCommand from an ssh config, against an embedded SSH host: the SSH session runs over the command's
 * stdin/stdout (the host name is not even resolvable, so nothing but the command can reach it), tokens
 * are expanded, and a command that fails or hangs is reported for its host and stopped.
 */
@Timeout(120) // a guard against a hang, not a timing assertion
class SshjProxyCommandTest {
    @TempDir
    Path tempDir;

    /** A netcat in bash: logs its arguments and pid beside itself, then joins stdin/stdout to 127.0.0.1:$2. */
    Path tcpProxy() throws Exception {
        return script("tcp-proxy.sh", String.join("\n",
                "#!/bin/bash",
                "dir=$(dirname \"$0\")",
                "printf '%s\\n' \"$@\" > \"$dir/args.log\"",
                "echo $$ > \"$dir/proxy.pid\"",
                "exec 3<>\"/dev/tcp/127.0.0.1/$2\" || exit 7",
                "cat <&3 &",
                "exec cat >&3",
                ""));
    }

    Path script(String name, String text) throws Exception {
        Path script = tempDir.resolve(name);
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    SshConfigFile config(String text) throws Exception {
        Path file = tempDir.resolve("ssh_config");
        Files.writeString(file, text);
        return SshConfigFile.read(file, true, tempDir, "test");
    }

    /** What run.SshConnectionSettings makes of the resolved settings. */
    SshTarget target(String name, SshConfigFile file, Duration timeout, SshConfigLine... commandLine) {
        SshHostSettings s = new SshConfigResolver(new SshConfigSources(tempDir, System.getProperty("user.name"), List.of()))
                .resolve(name, List.of(commandLine), file, false);
        return new SshTarget(name, s.hostName(), s.port(), s.user(), Optional.empty(), s.jumps(), s.knownHosts(),
                s.acceptNewHostKey(), timeout, new ConnectOptions(s.identityFiles(), s.identitiesOnly(), s.knownHostsToRead(),
                s.hostKeyAlias(), s.keepAlive(), s.certificateFiles(), s.proxyCommand()));
    }

    String hostBlock(SshHosts hosts, String proxyCommand) {
        return String.join("\n",
                "Host vault-01",
                "  HostName vault-01.invalid",
                "  Port " + hosts.host(0).port(),
                "  IdentityFile " + hosts.clientKey().privateKey(),
                "  UserKnownHostsFile " + knownHosts(hosts),
                "  ProxyCommand " + proxyCommand,
                "");
    }

    Path knownHosts(SshHosts hosts) {
        return hosts.directory().resolve("proxied_known_hosts");
    }

    void trustAsProxiedName(SshHosts hosts) throws Exception {
        String line = hosts.host(0).knownHostsLine();
        Files.writeString(knownHosts(hosts), "[vault-01.invalid]:" + hosts.host(0).port() + line.substring(line.indexOf(' ')) + "\n");
    }

    long proxyPid() throws Exception {
        return Long.parseLong(Files.readString(tempDir.resolve("proxy.pid")).trim());
    }

    @Test
    void theSessionRunsOverTheCommandWithItsTokensExpandedAndTheCommandStopsWithTheSession() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir.resolve("hosts"), 1)) {
            trustAsProxiedName(hosts);
            SshConfigFile file = config(hostBlock(hosts, tcpProxy() + " %h %p %r %n 100%% 'two words'"));
            SshTarget target = target("vault-01", file, SshHosts.CONNECT_TIMEOUT);

            long pid;
            try (RemoteSession session = new SshjConnector(tempDir.resolve("no-keys"), Map.of()).connect(target)) {
                assertThat(session.exec("echo \"$HOST_ROOT\"", null).stdout().trim()).isEqualTo(hosts.host(0).root().toString());
                assertThat(session.exec("cat", "through the proxy".getBytes()).stdout()).isEqualTo("through the proxy");
                pid = proxyPid();
                assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
            }

            assertThat(Files.readAllLines(tempDir.resolve("args.log"))).containsExactly("vault-01.invalid",
                    String.valueOf(hosts.host(0).port()), System.getProperty("user.name"), "vault-01", "100%", "two words");
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        }
    }

    @Test
    void aCommandThatFailsIsReportedForItsHostWithItsStatusAndStderrButNotItsText() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir.resolve("hosts"), 1)) {
            trustAsProxiedName(hosts);
            Path failing = script("failing.sh", "#!/bin/sh\necho 'bastion.example: Connection refused' >&2\nexit 3\n");
            SshConfigFile file = config(hostBlock(hosts, failing + " --token s3cret-token %h"));

            assertThatThrownBy(() -> new SshjConnector(tempDir.resolve("no-keys"), Map.of())
                    .connect(target("vault-01", file, SshHosts.CONNECT_TIMEOUT)))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageContaining("through the ProxyCommand of vault-01 (" + tempDir.resolve("ssh_config") + ":6)")
                    .hasMessageContaining("exited with status 3")
                    .hasMessageContaining("bastion.example: Connection refused")
                    .hasMessageNotContaining("s3cret-token");
        }
    }

    @Test
    void aCommandThatCannotBeStartedIsReported() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir.resolve("hosts"), 1)) {
            trustAsProxiedName(hosts);
            SshConfigFile file = config(hostBlock(hosts, tempDir.resolve("no-such-proxy") + " %h %p"));

            assertThatThrownBy(() -> new SshjConnector(tempDir.resolve("no-keys"), Map.of())
                    .connect(target("vault-01", file, SshHosts.CONNECT_TIMEOUT)))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageContaining("through the ProxyCommand of vault-01")
                    .hasMessageContaining("exited with status 127")
                    .hasMessageContaining("no-such-proxy");
        }
    }

    @Test
    void aCommandThatHangsIsCutAtTheConnectTimeoutAndStoppedEvenWhenAChildKeepsItsOutputOpen() throws Exception {
        Path hanging = script("hanging.sh", String.join("\n",
                "#!/bin/bash",
                "dir=$(dirname \"$0\")",
                "echo $$ > \"$dir/proxy.pid\"",
                // a grandchild, orphaned at once, holds stdout open: killing the command alone would not end the output
                "( sleep 300 & echo $! > \"$dir/orphan.pid\" )",
                "echo 'waiting for the bastion' >&2",
                "exec sleep 300",
                ""));
        try (SshHosts hosts = SshHosts.start(tempDir.resolve("hosts"), 1)) {
            trustAsProxiedName(hosts);
            SshConfigFile file = config(hostBlock(hosts, hanging.toString()));
            try {
                assertThatThrownBy(() -> new SshjConnector(tempDir.resolve("no-keys"), Map.of())
                        .connect(target("vault-01", file, Duration.ofSeconds(2))))
                        .isInstanceOf(HostUnreachableException.class)
                        .hasMessageContaining("SSH handshake with vault-01 ([vault-01.invalid]:" + hosts.host(0).port()
                                + ") through the ProxyCommand of vault-01")
                        .hasMessageContaining("did not finish within 2 s; the command was stopped")
                        .hasMessageContaining("waiting for the bastion");
                long pid = proxyPid();
                await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
            } finally {
                Path orphan = tempDir.resolve("orphan.pid");
                if (Files.exists(orphan)) {
                    ProcessHandle.of(Long.parseLong(Files.readString(orphan).trim())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    @Test
    void proxyCommandNoneOnTheCommandLineMeansDirect() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir.resolve("hosts"), 1)) {
            SshConfigFile file = config(String.join("\n",
                    "Host 127.0.0.1",
                    "  Port " + hosts.host(0).port(),
                    "  IdentityFile " + hosts.clientKey().privateKey(),
                    "  UserKnownHostsFile " + hosts.knownHosts(),
                    "  ProxyCommand " + tempDir.resolve("never-run.sh") + " %h %p",
                    ""));
            SshTarget target = target("127.0.0.1", file, SshHosts.CONNECT_TIMEOUT,
                    SshConfigLine.commandLine("ProxyCommand", List.of("none"), "inv.yml:3", "ansible_ssh_common_args"));

            assertThat(target.options().proxyCommand()).isEmpty();
            try (RemoteSession session = new SshjConnector(tempDir.resolve("no-keys"), Map.of()).connect(target)) {
                assertThat(session.exec("echo direct", null).stdout()).isEqualTo("direct\n");
            }
        }
    }
}

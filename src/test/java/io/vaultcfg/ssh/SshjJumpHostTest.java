package io.vaultcfg.ssh;

import io.vaultcfg.testing.SshHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ProxyJump: host B reached through bastion A over a direct-tcpip channel. */
class SshjJumpHostTest {
    @TempDir
    Path tempDir;
    final SshjConnector connector = new SshjConnector();

    @Test
    void commandsRunOnTheTargetBehindTheBastion() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 2)) {
            try (RemoteSession session = connector.connect(hosts.targetVia(1, 0))) {
                ExecResult first = session.exec("echo \"$HOST_ROOT\"", null);
                ExecResult second = session.exec("cat", "through the tunnel".getBytes());

                assertThat(first.stdout().trim()).isEqualTo(hosts.host(1).root().toString());
                assertThat(second.stdout()).isEqualTo("through the tunnel");
            }
        }
    }

    @Test
    void targetHostKeyIsCheckedStrictlyBehindTheBastion() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 2)) {
            Files.write(hosts.knownHosts(), List.of(hosts.host(0).knownHostsLine()));

            assertThatThrownBy(() -> connector.connect(hosts.targetVia(1, 0)))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageStartingWith("host key for vault-01 ([127.0.0.1]:" + hosts.host(1).port() + ") is not in");
        }
    }

    @Test
    void unknownBastionKeyIsReportedAsTheBastion() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 2)) {
            Files.write(hosts.knownHosts(), List.of(hosts.host(1).knownHostsLine()));

            assertThatThrownBy(() -> connector.connect(hosts.targetVia(1, 0)))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageStartingWith("host key for bastion 127.0.0.1 of vault-01 ([127.0.0.1]:" + hosts.host(0).port() + ") is not in");
        }
    }

    @Test
    void bastionThatCannotReachTheTargetSaysSo() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            SshTarget unreachable = new SshTarget("vault-05", "127.0.0.1", SshjConnectFailureTest.freePort(),
                    hosts.target(0).user(), hosts.target(0).privateKey(),
                    Optional.of(new JumpHost(null, "127.0.0.1", hosts.host(0).port())), hosts.knownHosts(), false,
                    SshHosts.CONNECT_TIMEOUT);

            assertThatThrownBy(() -> connector.connect(unreachable))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageContaining("could not open a connection to 127.0.0.1:" + unreachable.port() + " for vault-05");
        }
    }
}

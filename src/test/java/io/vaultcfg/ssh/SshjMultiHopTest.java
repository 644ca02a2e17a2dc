package io.vaultcfg.ssh;

import io.vaultcfg.testing.SshHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ProxyJump {@code a,b}: the target reached through a, then b, each hop over a tunnel of the one before. */
class SshjMultiHopTest {
    @TempDir
    Path tempDir;
    final SshjConnector connector = new SshjConnector();

    @Test
    void commandsRunOnTheTargetBehindTwoJumpHosts() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 3)) {
            try (RemoteSession session = connector.connect(via(hosts, 2, 0, 1))) {
                assertThat(session.exec("echo \"$HOST_ROOT\"", null).stdout().trim()).isEqualTo(hosts.host(2).root().toString());
                assertThat(session.exec("cat", "two hops".getBytes()).stdout()).isEqualTo("two hops");
            }
        }
    }

    @Test
    void theSecondHopIsReachedFromTheFirstAndTheTargetFromTheSecond() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 3,
                options -> options.root().endsWith("host-1") ? options.withTcpForwarding(false) : options)) {
            // host 1 refuses to forward: a chain that really goes 0 -> 1 -> 2 fails at host 1, naming it
            assertThatThrownBy(() -> connector.connect(via(hosts, 2, 0, 1)))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageStartingWith("jump host 2 of 2 (127.0.0.1) of vault-02 ([127.0.0.1]:" + hosts.host(1).port()
                            + ") could not open a connection to 127.0.0.1:" + hosts.host(2).port() + " for vault-02");
            // host 1 as the target, which forwards nothing itself, is reached through host 0
            try (RemoteSession session = connector.connect(via(hosts, 1, 0))) {
                assertThat(session.exec("echo ok", null).stdout()).isEqualTo("ok\n");
            }
        }
    }

    @Test
    void everyHopsHostKeyIsCheckedAndTheFailingHopNamed() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 3)) {
            Files.write(hosts.knownHosts(), List.of(hosts.host(0).knownHostsLine(), hosts.host(2).knownHostsLine()));

            assertThatThrownBy(() -> connector.connect(via(hosts, 2, 0, 1)))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageStartingWith("host key for jump host 2 of 2 (127.0.0.1) of vault-02 ([127.0.0.1]:"
                            + hosts.host(1).port() + ") is not in");
        }
    }

    private static SshTarget via(SshHosts hosts, int target, int... jumps) {
        SshTarget direct = hosts.target(target);
        List<JumpHost> chain = java.util.Arrays.stream(jumps).mapToObj(i -> new JumpHost(null, "127.0.0.1", hosts.host(i).port()))
                .collect(Collectors.toList());
        return new SshTarget(direct.name(), direct.address(), direct.port(), direct.user(), direct.privateKey(), chain,
                direct.knownHosts(), false, direct.connectTimeout());
    }
}

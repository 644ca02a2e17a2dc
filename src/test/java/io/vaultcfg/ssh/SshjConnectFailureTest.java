package io.vaultcfg.ssh;

import io.vaultcfg.testing.ClientKeyPair;
import io.vaultcfg.testing.SshHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Host keys, authentication and unreachable hosts: every refusal is a HostUnreachableException a user can act on. */
class SshjConnectFailureTest {
    @TempDir
    Path tempDir;
    final SshjConnector connector = new SshjConnector();

    @Test
    void unknownHostKeyIsRefusedWithAHint() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            hosts.forgetAll();
            SshTarget target = hosts.target(0);
            String name = "[127.0.0.1]:" + hosts.host(0).port();

            assertThatThrownBy(() -> connector.connect(target))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageStartingWith("host key for vault-00 (" + name + ") is not in " + hosts.knownHosts()
                            + "; verify it and add it, or run with --ssh-accept-new")
                    .hasMessageContaining("SHA256:");
            assertThat(hosts.knownHosts()).doesNotExist();
        }
    }

    @Test
    void acceptNewAddsTheKeyPrivatelyAndStrictConnectsWorkAfterwards() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            hosts.forgetAll();
            try (RemoteSession session = connector.connect(withAcceptNew(hosts.target(0)))) {
                assertThat(session.exec("echo hi", null).stdout()).isEqualTo("hi\n");
            }

            assertThat(Files.readAllLines(hosts.knownHosts())).containsExactly(hosts.host(0).knownHostsLine());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hosts.knownHosts()))).isEqualTo("rw-------");
            try (RemoteSession session = connector.connect(hosts.target(0))) {
                assertThat(session.exec("echo again", null).stdout()).isEqualTo("again\n");
            }
        }
    }

    @Test
    void acceptNewFromManyThreadsWritesEachHostOnce() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 4)) {
            hosts.forgetAll();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<Integer>> jobs = new java.util.ArrayList<>();
                for (int round = 0; round < 2; round++) {
                    for (SshTarget target : hosts.targets()) {
                        jobs.add(() -> {
                            try (RemoteSession session = connector.connect(withAcceptNew(target))) {
                                return session.exec("true", null).exitCode();
                            }
                        });
                    }
                }
                for (Future<Integer> done : pool.invokeAll(jobs)) {
                    assertThat(done.get()).isZero();
                }
            } finally {
                pool.shutdownNow();
            }

            List<String> expected = hosts.targets().stream().map(t -> hosts.host(hosts.targets().indexOf(t)).knownHostsLine()).toList();
            assertThat(Files.readAllLines(hosts.knownHosts())).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void changedHostKeyIsRefusedEvenWithAcceptNew() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            String before = Files.readString(hosts.knownHosts());
            hosts.rebuild(0);
            String name = "[127.0.0.1]:" + hosts.host(0).port();

            for (SshTarget target : List.of(hosts.target(0), withAcceptNew(hosts.target(0)))) {
                assertThatThrownBy(() -> connector.connect(target))
                        .isInstanceOf(HostUnreachableException.class)
                        .hasMessageStartingWith("HOST KEY CHANGED for vault-00 (" + name + ") — possible man-in-the-middle; "
                                + "if the host was rebuilt, remove the old entry from " + hosts.knownHosts()
                                + " (ssh-keygen -R '" + name + "' -f " + hosts.knownHosts() + ")");
            }
            assertThat(Files.readString(hosts.knownHosts())).isEqualTo(before);
        }
    }

    @Test
    void hashedKnownHostsEntriesAreHonoured() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            Process hash = new ProcessBuilder("ssh-keygen", "-H", "-f", hosts.knownHosts().toString())
                    .redirectErrorStream(true).start();
            hash.getInputStream().readAllBytes();
            assertThat(hash.waitFor()).isZero();
            assertThat(Files.readString(hosts.knownHosts())).startsWith("|1|");

            try (RemoteSession session = connector.connect(hosts.target(0))) {
                assertThat(session.exec("echo hashed", null).stdout()).isEqualTo("hashed\n");
            }
        }
    }

    @Test
    void wrongUserKeyFailsAuthenticationNamingUserAndKey() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            ClientKeyPair stranger = ClientKeyPair.generate(tempDir.resolve("stranger"), "id_ed25519");
            SshTarget target = withKey(hosts.target(0), stranger.privateKey());

            assertThatThrownBy(() -> connector.connect(target))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageContaining("authentication failed for user '" + target.user() + "'")
                    .hasMessageContaining("vault-00")
                    .hasMessageContaining(stranger.privateKey().toString());
        }
    }

    @Test
    void defaultKeysComeFromTheSshDirectory() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, 1)) {
            SshTarget target = withoutKey(hosts.target(0));
            SshjConnector usingDefaults = new SshjConnector(hosts.clientKey().privateKey().getParent());
            try (RemoteSession session = usingDefaults.connect(target)) {
                assertThat(session.exec("echo default-key", null).stdout()).isEqualTo("default-key\n");
            }

            SshjConnector noKeys = new SshjConnector(tempDir.resolve("empty-ssh-dir"));
            assertThatThrownBy(() -> noKeys.connect(target))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageContaining("id_ed25519");
        }
    }

    @Test
    void missingKeyFileIsNamed() {
        SshTarget target = new SshTarget("vault-09", "127.0.0.1", 22, "vault", Optional.of(tempDir.resolve("nope")),
                Optional.empty(), tempDir.resolve("known_hosts"), false, Duration.ofSeconds(2));

        assertThatThrownBy(() -> connector.connect(target))
                .isInstanceOf(HostUnreachableException.class)
                .hasMessageContaining(tempDir.resolve("nope").toString());
    }

    @Test
    void refusedConnectionFailsFastWithAClearMessage() throws Exception {
        ClientKeyPair key = ClientKeyPair.generate(tempDir, "id_ed25519");
        int closedPort = freePort();
        SshTarget target = new SshTarget("vault-07", "127.0.0.1", closedPort, "vault", Optional.of(key.privateKey()),
                Optional.empty(), tempDir.resolve("known_hosts"), false, Duration.ofSeconds(2));

        long start = System.nanoTime();
        assertThatThrownBy(() -> connector.connect(target))
                .isInstanceOf(HostUnreachableException.class)
                .hasMessage("connection refused by vault-07 ([127.0.0.1]:" + closedPort + "); is sshd running and listening on port "
                        + closedPort + "?");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void silentPortTimesOutWithinTheConnectTimeout() throws Exception {
        ClientKeyPair key = ClientKeyPair.generate(tempDir, "id_ed25519");
        // accepts TCP (the kernel's backlog does) but never says a word of SSH
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            SshTarget target = new SshTarget("vault-08", "127.0.0.1", silent.getLocalPort(), "vault", Optional.of(key.privateKey()),
                    Optional.empty(), tempDir.resolve("known_hosts"), false, Duration.ofMillis(1500));

            long start = System.nanoTime();
            assertThatThrownBy(() -> connector.connect(target))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageContaining("vault-08")
                    .hasMessageContaining("1500 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        }
    }

    @Test
    void unresolvableHostNameIsNamed() throws Exception {
        ClientKeyPair key = ClientKeyPair.generate(tempDir, "id_ed25519");
        SshTarget target = new SshTarget("vault-06", "no-such-host.invalid", 22, "vault", Optional.of(key.privateKey()),
                Optional.empty(), tempDir.resolve("known_hosts"), false, Duration.ofSeconds(2));

        assertThatThrownBy(() -> connector.connect(target))
                .isInstanceOf(HostUnreachableException.class)
                .hasMessage("cannot resolve host name 'no-such-host.invalid' of vault-06");
    }

    static SshTarget withAcceptNew(SshTarget t) {
        return new SshTarget(t.name(), t.address(), t.port(), t.user(), t.privateKey(), t.jumps(), t.knownHosts(), true, t.connectTimeout());
    }

    static SshTarget withKey(SshTarget t, Path key) {
        return new SshTarget(t.name(), t.address(), t.port(), t.user(), Optional.of(key), t.jumps(), t.knownHosts(),
                t.acceptNewHostKey(), t.connectTimeout());
    }

    static SshTarget withoutKey(SshTarget t) {
        return new SshTarget(t.name(), t.address(), t.port(), t.user(), Optional.empty(), t.jumps(), t.knownHosts(),
                t.acceptNewHostKey(), t.connectTimeout());
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

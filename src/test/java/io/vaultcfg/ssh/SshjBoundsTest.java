package io.vaultcfg.ssh;

import io.vaultcfg.testing.ClientKeyPair;
import io.vaultcfg.testing.SshHosts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every remote command ends: at its deadline, at the output cap, or when keep-alives find the peer gone. */
class SshjBoundsTest {
    @TempDir
    static Path tempDir;
    static SshHosts hosts;
    static final SshjConnector connector = new SshjConnector();

    @BeforeAll
    static void startHosts() throws Exception {
        hosts = SshHosts.start(tempDir.resolve("hosts"), 1);
    }

    @AfterAll
    static void stopHosts() {
        if (hosts != null) {
            hosts.close();
        }
    }

    @Test
    void aCommandThatNeverEndsIsCutAtItsDeadlineAndTheConnectionStaysUsable() throws Exception {
        try (RemoteSession session = connector.connect(hosts.target(0))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> session.exec("while :; do sleep 1; done", new byte[0], Duration.ofMillis(800)))
                    .isInstanceOf(CommandTimeoutException.class)
                    .hasMessage("command on vault-00 did not finish within 800 ms");
            assertThat(elapsedSince(start)).isLessThan(Duration.ofSeconds(5));

            assertThat(session.exec("echo still-here", null, Duration.ofSeconds(10)).stdout()).isEqualTo("still-here\n");
        }
    }

    @Test
    void aCommandThatReadsStdinForeverIsCutToo() throws Exception {
        // large input keeps the writer busy while the command never reads it
        try (RemoteSession session = connector.connect(hosts.target(0))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> session.exec("sleep 600", new byte[8 * 1024 * 1024], Duration.ofMillis(800)))
                    .isInstanceOf(CommandTimeoutException.class);
            assertThat(elapsedSince(start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void endlessOutputStopsAtTheCapWithoutFillingMemory() throws Exception {
        try (RemoteSession session = connector.connect(hosts.target(0))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> session.exec("yes vaultcfg-output-flood", null, Duration.ofSeconds(60)))
                    .isInstanceOf(OutputLimitException.class)
                    .hasMessage("vault-00 sent more than 16 MiB of output for one command; it was stopped");
            assertThat(elapsedSince(start)).isLessThan(Duration.ofSeconds(30));

            assertThat(session.exec("echo after-the-flood", null).stdout()).isEqualTo("after-the-flood\n");
        }
    }

    @Test
    void theCapCountsStdoutAndStderrTogether() throws Exception {
        // 10 MiB on each stream: neither alone is over the cap, both together are
        String tenMiB = "head -c " + 10 * 1024 * 1024 + " /dev/zero";
        try (RemoteSession session = connector.connect(hosts.target(0))) {
            assertThatThrownBy(() -> session.exec(tenMiB + " >&2; " + tenMiB, null, Duration.ofSeconds(60)))
                    .isInstanceOf(OutputLimitException.class);

            ExecResult justUnder = session.exec("head -c " + 5 * 1024 * 1024 + " /dev/zero >&2; " + tenMiB + " | tr '\\0' a",
                    null, Duration.ofSeconds(60));
            assertThat(justUnder.stdout()).hasSize(10 * 1024 * 1024);
            assertThat(justUnder.stderr()).hasSize(5 * 1024 * 1024);
        }
    }

    @Test
    void keepAlivesAreSentAndAnsweredOnEveryConnection() throws Exception {
        SharedKeepAlive keepAlive;
        try (SshjSession session = (SshjSession) connector.connect(hosts.target(0))) {
            keepAlive = (SharedKeepAlive) session.keepAlive();
            // one shared timer, not a thread per connection
            assertThat(session.keepAlive()).isInstanceOf(SharedKeepAlive.class);
            assertThat(session.keepAlive().getKeepAliveInterval()).isEqualTo(KeepAlivePolicy.DEFAULT.intervalSeconds());
            assertThat(((SharedKeepAlive) session.keepAlive()).maxUnanswered()).isEqualTo(KeepAlivePolicy.DEFAULT.maxUnanswered());
            assertThat(((SharedKeepAlive) session.keepAlive()).scheduled()).isTrue();
            assertThat(session.keepAlive().isAlive()).as("no thread of its own").isFalse();
        }
        assertThat(keepAlive.scheduled()).as("off the timer once the connection is closed").isFalse();
    }

    @Test
    void aHostThatStopsAnsweringIsDroppedByKeepAlivesBeforeTheDeadline() throws Exception {
        SshjConnector eager = new SshjConnector(SshjConfig.shared(), hosts.clientKey().privateKey().getParent(),
                new KeepAlivePolicy(1, 2));
        try (BlackholeProxy proxy = BlackholeProxy.to(hosts.host(0).port());
             RemoteSession session = eager.connect(viaPort(hosts.target(0), proxy.port()))) {
            assertThat(session.exec("echo through-the-proxy", null).stdout()).isEqualTo("through-the-proxy\n");
            // a long command with a long deadline: only the keep-alives can notice the silence
            Thread freeze = new Thread(() -> {
                sleepQuietly(500);
                proxy.freeze();
            });
            freeze.start();
            long start = System.nanoTime();
            assertThatThrownBy(() -> session.exec("sleep 60", null, Duration.ofSeconds(50)))
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(CommandTimeoutException.class)
                    .hasMessageContaining("vault-00");
            assertThat(elapsedSince(start)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void aServerThatSendsItsBannerThenNothingFailsWithinTheConnectTimeout() throws Exception {
        ClientKeyPair key = ClientKeyPair.generate(tempDir.resolve("banner"), "id_ed25519");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread mute = new Thread(() -> {
                try (Socket accepted = server.accept()) {
                    accepted.getOutputStream().write("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII));
                    accepted.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // the client hung up, as it should
                }
            });
            mute.setDaemon(true);
            mute.start();
            SshTarget target = new SshTarget("vault-09", "127.0.0.1", server.getLocalPort(), "vault", Optional.of(key.privateKey()),
                    Optional.empty(), tempDir.resolve("known_hosts"), false, Duration.ofMillis(1500));

            long start = System.nanoTime();
            assertThatThrownBy(() -> connector.connect(target))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageContaining("vault-09")
                    .hasMessageContaining("1500 ms");
            assertThat(elapsedSince(start)).isLessThan(Duration.ofSeconds(6));
        }
    }

    private static SshTarget viaPort(SshTarget t, int port) {
        return new SshTarget(t.name(), t.address(), port, t.user(), t.privateKey(), t.jumps(), t.knownHosts(), true,
                t.connectTimeout());
    }

    private static Duration elapsedSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Forwards one TCP connection to a local port until frozen; then swallows everything, both ways, like a dead link. */
    static final class BlackholeProxy implements AutoCloseable {
        private final ServerSocket server;
        private volatile boolean frozen;
        private volatile Socket client;
        private volatile Socket upstream;

        private BlackholeProxy(ServerSocket server) {
            this.server = server;
        }

        static BlackholeProxy to(int port) throws IOException {
            BlackholeProxy proxy = new BlackholeProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            Thread acceptor = new Thread(() -> proxy.serve(port), "blackhole-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            return proxy;
        }

        int port() {
            return server.getLocalPort();
        }

        void freeze() {
            frozen = true;
        }

        private void serve(int port) {
            try {
                client = server.accept();
                upstream = new Socket(InetAddress.getLoopbackAddress(), port);
                pump(client.getInputStream(), upstream.getOutputStream());
                pump(upstream.getInputStream(), client.getOutputStream());
            } catch (IOException ignored) {
                // closed by the test
            }
        }

        private void pump(InputStream from, OutputStream to) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                    int n;
                    while ((n = from.read(buffer)) >= 0) {
                        if (!frozen) {
                            to.write(buffer, 0, n);
                            to.flush();
                        }
                    }
                } catch (IOException ignored) {
                    // one side closed
                }
            }, "blackhole-pump");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : new Socket[] {client, upstream}) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }
}

package io.vaultcfg.ssh;

import io.vaultcfg.shell.ShellQuote;
import io.vaultcfg.testing.SshHosts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Remote commands over real SSH against embedded hosts. */
class SshjExecTest {
    @TempDir
    static Path tempDir;
    static SshHosts hosts;
    static final SshjConnector connector = new SshjConnector();

    @BeforeAll
    static void startHosts() throws Exception {
        hosts = SshHosts.start(tempDir, 3);
    }

    @AfterAll
    static void stopHosts() {
        if (hosts != null) {
            hosts.close();
        }
    }

    @Test
    void commandReportsStdoutStderrAndExitCode() throws Exception {
        try (RemoteSession session = connector.connect(hosts.target(0))) {
            ExecResult result = session.exec("echo out; echo err >&2; exit 3", new byte[0]);

            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(result.stdout()).isEqualTo("out\n");
            assertThat(result.stderr()).isEqualTo("err\n");
            assertThat(result.succeeded()).isFalse();
        }
    }

    @Test
    void commandRunsInTheHostRootWithHostRootVariable() throws Exception {
        try (RemoteSession session = connector.connect(hosts.target(1))) {
            ExecResult result = session.exec("pwd; echo \"$HOST_ROOT\"", null);

            String root = hosts.host(1).root().toRealPath().toString();
            assertThat(result.stdout().lines()).containsExactly(root, hosts.host(1).root().toString());
        }
    }

    @Test
    void stdinIsDeliveredAndClosed() throws Exception {
        try (RemoteSession session = connector.connect(hosts.target(0))) {
            ExecResult result = session.exec("cat; echo done", "token-from-stdin\n".getBytes(StandardCharsets.UTF_8));

            assertThat(result.stdout()).isEqualTo("token-from-stdin\ndone\n");
            assertThat(result.exitCode()).isZero();
        }
    }

    @Test
    void largeStdinAndLargeStdoutDoNotDeadlock() throws Exception {
        byte[] input = new byte[6 * 1024 * 1024];
        new Random(7).nextBytes(input);
        String expectedHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input));
        try (RemoteSession session = connector.connect(hosts.target(0))) {
            // echoes all of stdin back (as hex: 12 MiB) and writes to stderr at the same time
            ExecResult echoed = session.exec("od -An -v -tx1 | tr -d ' \\n'; head -c 3000000 /dev/zero | tr '\\0' e >&2",
                    input);
            ExecResult hashed = session.exec("sha256sum | cut -d' ' -f1", input);

            assertThat(echoed.exitCode()).isZero();
            assertThat(echoed.stdout()).hasSize(input.length * 2).startsWith(HexFormat.of().formatHex(input, 0, 16));
            assertThat(echoed.stderr()).hasSize(3_000_000);
            assertThat(hashed.stdout().trim()).isEqualTo(expectedHash);
        }
    }

    @Test
    void commandThatIgnoresStdinStillFinishes() throws Exception {
        try (RemoteSession session = connector.connect(hosts.target(0))) {
            ExecResult result = session.exec("exit 0", new byte[4 * 1024 * 1024]);

            assertThat(result.exitCode()).isZero();
        }
    }

    @Test
    void oneConnectionServesManyCommands() throws Exception {
        try (RemoteSession session = connector.connect(hosts.target(2))) {
            for (int i = 0; i < 40; i++) {
                assertThat(session.exec("echo " + i, null).stdout()).isEqualTo(i + "\n");
            }
        }
    }

    @Test
    void threeHostsInParallel() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Callable<String>> jobs = hosts.targets().stream().<Callable<String>>map(target -> () -> {
                try (RemoteSession session = connector.connect(target)) {
                    return session.exec("echo \"$HOST_ROOT\"", null).stdout().trim();
                }
            }).toList();
            List<String> roots = pool.invokeAll(jobs).stream().map(SshjExecTest::get).toList();

            assertThat(roots).containsExactly(hosts.host(0).root().toString(), hosts.host(1).root().toString(),
                    hosts.host(2).root().toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void commandTimeoutClosesTheChannelAndKeepsTheConnection() throws Exception {
        try (SshjSession session = (SshjSession) connector.connect(hosts.target(0))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> session.exec("sleep 20", null, Duration.ofMillis(500)))
                    .isInstanceOf(CommandTimeoutException.class)
                    .hasMessageContaining("vault-00");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

            assertThat(session.exec("echo still-here", null, Duration.ofSeconds(10)).stdout()).isEqualTo("still-here\n");
        }
    }

    @Test
    void closeIsIdempotentAndExecAfterCloseFails() throws Exception {
        RemoteSession session = connector.connect(hosts.target(0));
        session.close();
        session.close();

        assertThatThrownBy(() -> session.exec("true", null)).hasMessageContaining("closed");
    }

    @Test
    void shellQuotedArgumentsAreTakenLiterally() throws Exception {
        Path workDir = hosts.host(0).root();
        String hostile = "x'; rm -rf x; '$(touch pwned)`touch pwned2`";
        try (RemoteSession session = connector.connect(hosts.target(0))) {
            ExecResult created = session.exec(ShellQuote.join(List.of("touch", hostile)), null);
            ExecResult listed = session.exec(ShellQuote.join(List.of("ls", "--", hostile)), null);

            assertThat(created.exitCode()).isZero();
            assertThat(listed.stdout()).isEqualTo(hostile + "\n");
        }
        assertThat(Files.exists(workDir.resolve(hostile))).isTrue();
        assertThat(workDir.resolve("pwned")).doesNotExist();
        assertThat(workDir.resolve("pwned2")).doesNotExist();
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

package io.vaultcfg.ssh;

import io.vaultcfg.testing.SshHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.Security;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Not a timing assertion: prints what connect+exec+close costs against 20 embedded hosts at once. */
class FanOutMeasurementTest {
    private static final int HOSTS = 20;

    @TempDir
    Path tempDir;

    @Test
    void connectExecCloseAgainstTwentyHostsInParallel() throws Exception {
        try (SshHosts hosts = SshHosts.start(tempDir, HOSTS)) {
            SshjConnector connector = new SshjConnector();
            long[] rounds = new long[3];
            for (int round = 0; round < rounds.length; round++) {
                rounds[round] = fanOut(connector, hosts.targets());
            }
            System.out.printf("fan-out %d hosts: cold %d ms, warm %d ms, %d ms; BouncyCastle registered: %s%n",
                    HOSTS, rounds[0], rounds[1], rounds[2], Security.getProvider("BC") != null);
            try (SshjSession session = (SshjSession) connector.connect(hosts.target(0))) {
                System.out.println("negotiated: " + session.algorithms());
                long start = System.nanoTime();
                for (int i = 0; i < 50; i++) {
                    session.exec("true", null);
                }
                System.out.printf("50 sequential execs on one connection: %d ms%n", (System.nanoTime() - start) / 1_000_000);
            }
            List<String> gcm = List.of("aes128-gcm@openssh.com");
            List<String> ctr = List.of("aes128-ctr");
            for (List<String> ciphers : List.of(gcm, ctr, gcm, ctr)) {
                SshjConnector pinned = new SshjConnector(SshjConfig.withCiphers(ciphers), tempDir);
                try (SshjSession session = (SshjSession) pinned.connect(hosts.target(1))) {
                    session.exec("head -c 1000000 /dev/zero", null);
                    long start = System.nanoTime();
                    ExecResult big = session.exec("head -c 12582912 /dev/zero", null);
                    System.out.printf("12 MiB stdout (under the 16 MiB cap) with %s: %d ms%n", session.algorithms(), (System.nanoTime() - start) / 1_000_000);
                    assertThat(big.stdout()).hasSize(12582912);
                }
            }
            assertThat(Security.getProvider("BC")).isNull();
        }
    }

    private static long fanOut(SshjConnector connector, List<SshTarget> targets) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(targets.size());
        try {
            long start = System.nanoTime();
            List<Callable<Integer>> jobs = targets.stream().<Callable<Integer>>map(target -> () -> {
                try (RemoteSession session = connector.connect(target)) {
                    return session.exec("stat -c %s /etc/hostname; sha256sum /etc/hostname", null).exitCode();
                }
            }).toList();
            for (Future<Integer> done : pool.invokeAll(jobs)) {
                assertThat(done.get()).isZero();
            }
            return (System.nanoTime() - start) / 1_000_000;
        } finally {
            pool.shutdownNow();
        }
    }
}

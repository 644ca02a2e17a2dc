package io.vaultcfg.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * {@code apply --migrate-seal} in a controller JVM of its own, killed (SIGKILL) where a {@link RestartHold} holds it:
 * at one node's restart or stop, so the kill point is not a race. Once killed, the hold is let go and the host's
 * script goes on without its controller, as it would; returns once every script the run left on the hosts ended.
 */
final class HeldMigrationRun {
    private HeldMigrationRun() {
    }

    interface AtKill {
        void check() throws Exception;
    }

    static String killedAt(FleetCluster cluster, Path inventory, String keys, RestartHold hold, RestartHold.When when,
                           FleetHost held, Path log, AtKill atKill) throws Exception {
        return killedAt(cluster, inventory, keys, hold, when, held, log, atKill, false);
    }

    /**
     * @param sessionsKilled what the run's SSH sessions still run on the hosts is killed with the controller, before the
     *                       hold is let go (a host with logind's {@code KillUserProcesses=yes})
     * @return what the killed run printed
     */
    static String killedAt(FleetCluster cluster, Path inventory, String keys, RestartHold hold, RestartHold.When when,
                           FleetHost held, Path log, AtKill atKill, boolean sessionsKilled) throws Exception {
        hold.arm(when, held);
        Process controller = controller(inventory, keys, log);
        List<ProcessHandle> scripts;
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(240));
            while (hold.held().isEmpty()) {
                assertThat(controller.isAlive()).as("the run reached " + when + " of " + held.name() + ":\n" + Files.readString(log))
                        .isTrue();
                assertThat(Instant.now()).as(when + " of " + held.name() + " reached in time:\n" + Files.readString(log))
                        .isBefore(deadline);
                Thread.sleep(20);
            }
            assertThat(hold.held()).contains(held);
            atKill.check();
        } finally {
            // taken before the kill: once sshd's sessions end, what they still run is no longer sshd's descendant
            scripts = sessionsLeft(cluster);
            controller.destroyForcibly();
            assertThat(controller.waitFor(30, TimeUnit.SECONDS)).isTrue();
            if (sessionsKilled) {
                scripts.forEach(ProcessHandle::destroyForcibly);
            }
            hold.releaseAll();
        }
        Awaitility.await("the host scripts left by the killed run end").atMost(Duration.ofSeconds(200))
                .pollInterval(Duration.ofMillis(100)).until(() -> scripts.stream().noneMatch(ProcessHandle::isAlive));
        return Files.readString(log);
    }

    private static Process controller(Path inventory, String keys, Path log) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "io.vaultcfg.cli.Main", "apply", inventory.toString(), "--migrate-seal"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(keys.getBytes(StandardCharsets.UTF_8));
        }
        return process;
    }

    /** What the hosts' SSH sessions run now, the nodes' servers aside. */
    private static List<ProcessHandle> sessionsLeft(FleetCluster cluster) {
        List<ProcessHandle> left = new ArrayList<>();
        for (int node = 0; node < cluster.size(); node++) {
            ProcessHandle.of(cluster.host(node).sshdPid()).orElseThrow().descendants()
                    .filter(p -> !p.info().command().orElse("").endsWith("/bao")
                            && !p.info().commandLine().orElse("").contains("bao server"))
                    .forEach(left::add);
        }
        return left;
    }
}

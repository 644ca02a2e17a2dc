package io.vaultcfg.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.fleet.FleetCluster.StartState;
import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.vault.NodeRole;
import io.vaultcfg.vault.NodeRole.Role;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply --migrate-seal} on a real 3-node OpenBao raft cluster sealed with Shamir keys, holding data: standbys
 * first, each restarted on awskms and unsealed with migrate through its own API, then the active node stopped so that
 * a migrated standby completes the migration, then started on awskms. Asserted from the nodes (roles, data, a poller
 * sampling every node every 50 ms), a full-cluster restart, and canaries: the unseal keys and a wrong key are looked
 * for in every output, report, controller file, host file and process command line sampled during the run.
 */
class FleetSealMigrationTest {
    @TempDir
    Path dir;
    FleetCluster cluster;
    Path inventory;
    final List<String> outputs = new ArrayList<>();

    @BeforeEach
    void available() {
        FleetCluster.assumeAvailable();
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    CliRun apply(String stdin, String... extra) {
        List<String> args = new ArrayList<>(List.of("apply", inventory.toString()));
        args.addAll(List.of(extra));
        CliRun run = CliRun.run(new SshjConnector(), Map.of(), stdin, args.toArray(String[]::new));
        outputs.add(run.all());
        return run;
    }

    static String keyLines(List<String> keys) {
        return String.join("\n", keys) + "\n";
    }

    /** A key of the same form as the real ones, that opens nothing. */
    static String wrongKey(String like) {
        byte[] bytes = new byte[Base64.getDecoder().decode(like).length];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void aShamirClusterWithDataIsMigratedToAwsKmsNodeByNodeKeepingItsQuorumAndAReRunCompletesAfterAFailureAndTwoKills()
            throws Exception {
        cluster = FleetCluster.start(3, StartState.SHAMIR);
        inventory = cluster.writeInventory(dir.resolve("inventory.yml"));
        List<String> keys = cluster.secrets().thresholdKeys();
        String wrong = wrongKey(keys.get(0));
        List<String> canaries = new ArrayList<>(cluster.secrets().keys());
        canaries.add(wrong);
        int active = cluster.activeNode();
        List<Integer> standbys = IntStream.range(0, 3).filter(node -> node != active).boxed().toList();

        CliRun check = apply("", "--check", "--migrate-seal");
        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        assertThat(check.stdout()).contains(cluster.host(standbys.get(0)).name() + " (standby, restart, seal migration) -> "
                + cluster.host(standbys.get(1)).name() + " (standby, restart, seal migration) -> "
                + cluster.host(active).name() + " (active, restart, seal migration)");

        UnsealPoller poller = cluster.startPoller();
        try (ProcessListingSampler listing = ProcessListingSampler.start(canaries)) {
            // 1. a wrong key among them: the first standby is restarted on the new seal and stays sealed in migration
            CliRun failed = apply(keyLines(List.of(wrong, keys.get(1), keys.get(2))), "--migrate-seal",
                    "--report", dir.resolve("failed.json").toString());
            assertThat(failed.exitCode()).as(failed.all()).isEqualTo(1);
            NodeRole first = cluster.role(standbys.get(0));
            assertThat(first.sealed()).isTrue();
            assertThat(first.migration()).as(first.describe()).isTrue();
            assertThat(failed.stdout()).containsPattern(cluster.host(standbys.get(0)).name() + " +\\| FAILED +\\| .*seal migration")
                    .contains("rollout: not started");
            assertThat(cluster.role(active).role()).isEqualTo(Role.ACTIVE);

            // 2. killed once the first standby was unsealed with migrate (a migrated standby, before the next node)
            killWhen(keys, "first", () -> cluster.tryRole(standbys.get(0))
                    .filter(role -> role.unsealed() && role.migration()).isPresent());
            assertThat(cluster.role(active).sealType()).as("the active node still on its old seal").isEqualTo("shamir");

            // 3. killed once the active node was stopped for the migration
            killWhen(keys, "active-stopped", () -> cluster.tryRole(active).isEmpty());

            // 4. the same command completes the migration
            CliRun completed = apply(keyLines(keys), "--migrate-seal", "--report", dir.resolve("completed.json").toString());
            assertThat(completed.exitCode()).as(completed.all() + cluster.serviceOutputs()).isZero();
            poller.close();
            listing.close();
            assertThat(listing.rounds()).as("process listings sampled").isGreaterThan(100);
            assertThat(listing.hits()).as("unseal keys on a command line").isEmpty();
        }

        cluster.awaitAllUnsealed(FleetCluster.TIMEOUT);
        for (int node = 0; node < 3; node++) {
            NodeRole role = cluster.role(node);
            assertThat(role.sealType()).as(role.describe()).isEqualTo("awskms");
            assertThat(role.recoverySeal()).isTrue();
            assertThat(role.migration()).isFalse();
            assertThat(cluster.readSecret(node)).isEqualTo(FleetCluster.SECRET_DATA);
        }
        assertThat(cluster.readPolicy(cluster.activeNode())).isEqualTo(FleetCluster.POLICY_TEXT);
        // The issue's statement, literally: every sample (each node's latest answer, each node read on its own thread
        // every 50 ms) has a quorum of 2 of 3 nodes unsealed; a node that is down, sealed or hung (SLOW) is not unsealed.
        List<UnsealPoller.Sample> samples = poller.samples();
        assertThat(samples).as("every sample: a quorum of 2 of 3 nodes unsealed" + belowQuorum(samples)
                + "\nwhat each node answered where it changed:" + poller.changes())
                .allSatisfy(sample -> assertThat(sample.unsealedCount()).isGreaterThanOrEqualTo(2));
        System.out.printf("quorum poller: %d samples, %d reads more than %d ms after the node's previous answer, longest %d ms, "
                + "%d connections closed without an answer and asked again%n", samples.size(),
                poller.gapsLongerThan(UnsealPoller.FRESH), UnsealPoller.FRESH.toMillis(), poller.longestGap().toMillis(),
                poller.askedAgain());
        assertThat(poller.longestGap().toMillis()).as("the poller kept up").isLessThan(1000);
        assertThat(poller.samples()).as("a migrated standby was seen").anyMatch(sample ->
                sample.states().contains(UnsealPoller.NodeState.UNSEALED_MIGRATING));

        for (int node = 0; node < 3; node++) {
            cluster.stop(node);
        }
        for (int node = 0; node < 3; node++) {
            cluster.start(node);
        }
        cluster.awaitAllUnsealed(FleetCluster.TIMEOUT);
        assertThat(cluster.readSecret(cluster.activeNode())).isEqualTo(FleetCluster.SECRET_DATA);

        CliRun again = apply("", "--check", "--migrate-seal");
        assertThat(again.exitCode()).as(again.all()).isZero();

        assertNoCanaryIn(canaries);
    }

    static String belowQuorum(List<UnsealPoller.Sample> samples) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).unsealedCount() < 2) {
                text.append("\n#").append(i).append(' ').append(samples.get(i));
            }
        }
        return text.toString();
    }

    /** A controller in a JVM of its own, killed (SIGKILL) within 50 ms of {@code when} turning true. */
    void killWhen(List<String> keys, String name, java.util.concurrent.Callable<Boolean> when) throws Exception {
        Path log = dir.resolve("killed-" + name + ".log");
        Process killed = controller(keyLines(keys), log);
        Awaitility.await("kill point " + name).atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(50))
                .until(() -> when.call() || !killed.isAlive());
        assertThat(killed.isAlive()).as("the run was still going at kill point " + name + ": " + Files.readString(log)).isTrue();
        killed.destroyForcibly();
        assertThat(killed.waitFor(10, TimeUnit.SECONDS)).isTrue();
        outputs.add(Files.readString(log));
    }

    Process controller(String stdin, Path log) throws IOException {
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.vaultcfg.cli.Main", "apply", inventory.toString(),
                "--migrate-seal")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        return process;
    }

    void assertNoCanaryIn(List<String> canaries) throws IOException {
        for (int i = 0; i < outputs.size(); i++) {
            for (int c = 0; c < canaries.size(); c++) {
                assertThat(outputs.get(i).contains(canaries.get(c))).as("canary " + c + " in output " + i).isFalse();
            }
        }
        List<Path> roots = new ArrayList<>(List.of(dir));
        for (int node = 0; node < 3; node++) {
            roots.add(cluster.host(node).path("/etc/vault.d").getParent());
        }
        int files = 0;
        for (Path root : roots) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    byte[] content = Files.readAllBytes(file);
                    String text = new String(content, StandardCharsets.ISO_8859_1);
                    files++;
                    for (int c = 0; c < canaries.size(); c++) {
                        assertThat(text.contains(canaries.get(c))).as("canary " + c + " in " + file).isFalse();
                    }
                }
            }
        }
        assertThat(files).as("files looked through").isGreaterThan(10);
    }
}

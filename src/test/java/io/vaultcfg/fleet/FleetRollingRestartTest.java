package io.vaultcfg.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.fleet.FleetCluster.StartState;
import io.vaultcfg.fleet.UnsealPoller.NodeState;
import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.vault.NodeRole;
import io.vaultcfg.vault.NodeRole.Role;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolling restarts of a real OpenBao raft cluster by vaultcfg's built-in playbook, asserted from the nodes (a
 * poller sampling every node's seal status every 50 ms, their roles), the systemctl stand-in's call log, the
 * hosts' files and the emulator's request log.
 */
class FleetRollingRestartTest {
    @TempDir
    Path dir;
    FleetCluster cluster;
    Path inventory;

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

    CliRun apply(String... extra) {
        List<String> args = new ArrayList<>(List.of("apply", inventory.toString()));
        args.addAll(List.of(extra));
        return CliRun.run(new SshjConnector(), Map.of(), "", args.toArray(String[]::new));
    }

    void start(StartState state) throws IOException {
        cluster = FleetCluster.start(3, state);
        inventory = cluster.writeInventory(dir.resolve("inventory.yml"));
    }

    /** The built-in seal template with one more comment line: a change that restarts every node. */
    Path changedTemplates() throws IOException {
        Path templates = Files.createDirectories(dir.resolve("templates"));
        Files.writeString(templates.resolve("seal-awskms.hcl.ftl"),
                Files.readString(Path.of("templates/seal-awskms.hcl.ftl")) + "# rolled by FleetRollingRestartTest\n");
        return templates;
    }

    long[] restarts() throws IOException {
        long[] counts = new long[cluster.size()];
        for (int node = 0; node < cluster.size(); node++) {
            counts[node] = cluster.host(node).restarts("vault");
        }
        return counts;
    }

    /** The indexes of the samples in which {@code node} did not answer at all (its server restarting). */
    static List<Integer> downSamples(List<UnsealPoller.Sample> samples, int node) {
        return IntStream.range(0, samples.size()).filter(i -> samples.get(i).states().get(node) == NodeState.DOWN).boxed().toList();
    }

    /**
     * The nodes in the order they were down, each one's down samples all before the next one's first: a restart
     * began only once the node before was back (answering again).
     */
    static List<Integer> oneAtATime(List<UnsealPoller.Sample> samples, int size) {
        List<int[]> windows = new ArrayList<>();
        for (int node = 0; node < size; node++) {
            List<Integer> down = downSamples(samples, node);
            assertThat(down).as("node " + node + " seen down by the poller (restarted)").isNotEmpty();
            windows.add(new int[] {node, down.get(0), down.get(down.size() - 1)});
        }
        windows.sort((a, b) -> Integer.compare(a[1], b[1]));
        for (int i = 1; i < windows.size(); i++) {
            assertThat(windows.get(i)[1]).as("node " + windows.get(i)[0] + " went down only after node " + windows.get(i - 1)[0]
                    + " was back").isGreaterThan(windows.get(i - 1)[2]);
        }
        return windows.stream().map(window -> window[0]).toList();
    }

    Map<String, String> hostFiles() throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (int node = 0; node < cluster.size(); node++) {
            for (String root : List.of("/etc/vault.d", "/etc/systemd/system")) {
                Path base = cluster.host(node).path(root);
                if (!Files.exists(base)) {
                    continue;
                }
                try (Stream<Path> walk = Files.walk(base)) {
                    for (Path file : walk.filter(Files::isRegularFile).toList()) {
                        files.put(file.toString(), Files.readString(file) + "|" + Files.getLastModifiedTime(file));
                    }
                }
            }
        }
        return files;
    }

    @Test
    void aNewClusterIsRestartedOneNodeAtATimeThenAutoUnsealsAfterInitAndAReRunChangesNothing() throws IOException {
        start(StartState.NEW);

        UnsealPoller poller = cluster.startPoller();
        CliRun first = apply();
        poller.close();

        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(first.stdout()).contains("ROLLOUT | cluster (the play's hosts), one node at a time: "
                + "fleet-01 (uninitialized, restart) -> fleet-02 (uninitialized, restart) -> fleet-03 (uninitialized, restart)");
        assertThat(restarts()).containsOnly(1L);
        assertThat(oneAtATime(poller.samples(), 3)).as("uninitialized nodes go in inventory order").containsExactly(0, 1, 2);

        cluster.initialize();
        cluster.awaitAllUnsealed(FleetCluster.TIMEOUT);
        for (int node = 0; node < 3; node++) {
            NodeRole role = cluster.role(node);
            assertThat(role.sealType()).isEqualTo("awskms");
            assertThat(role.recoverySeal()).isTrue();
        }

        CliRun again = apply();
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.stdout()).containsPattern("fleet-01 +: ok=\\d+ changed=0 ").containsPattern("fleet-02 +: ok=\\d+ changed=0 ")
                .containsPattern("fleet-03 +: ok=\\d+ changed=0 ").contains("(active, no restart)");
        assertThat(restarts()).containsOnly(1L);
    }

    @Test
    void aConvergedAwsKmsClusterWithAChangedTemplateRollsStandbysFirstAndKeepsItsQuorum() throws IOException {
        start(StartState.AWSKMS);
        CliRun converge = apply();
        assertThat(converge.exitCode()).as(converge.all()).isZero();
        cluster.awaitAllUnsealed(FleetCluster.TIMEOUT);
        int active = cluster.activeNode();
        long[] before = restarts();
        List<String> standbyNames = IntStream.range(0, 3).filter(node -> node != active).mapToObj(node -> cluster.host(node).name()).toList();

        CliRun check = apply("--check", "--templates", changedTemplates().toString());
        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        assertThat(check.stdout()).contains("ROLLOUT | cluster (the play's hosts), one node at a time (would go in this order): "
                + standbyNames.get(0) + " (standby, restart) -> " + standbyNames.get(1) + " (standby, restart) -> "
                + cluster.host(active).name() + " (active, restart)\n");
        assertThat(restarts()).isEqualTo(before);

        UnsealPoller poller = cluster.startPoller();
        CliRun changed = apply("--templates", changedTemplates().toString());
        poller.close();

        assertThat(changed.exitCode()).as(changed.all()).isZero();
        long[] after = restarts();
        for (int node = 0; node < 3; node++) {
            assertThat(after[node]).as("restarts of node " + node).isEqualTo(before[node] + 1);
        }
        List<Integer> order = oneAtATime(poller.samples(), 3);
        List<Integer> standbys = IntStream.range(0, 3).filter(node -> node != active).boxed().toList();
        assertThat(order).as("standbys in inventory order, the active node last").containsExactly(standbys.get(0), standbys.get(1), active);
        assertThat(poller.fewestUnsealed()).as("a quorum of 2 of 3 unsealed in every sample").isGreaterThanOrEqualTo(2);
        assertThat(poller.longestGap().toMillis()).as("the poller kept up").isLessThan(1000);
        assertThat(cluster.readSecret(cluster.activeNode())).isEqualTo(FleetCluster.SECRET_DATA);
    }

    @Test
    void aNodeDeniedDecryptHaltsTheRolloutTheNodesAfterItAreUntouchedAndTheClusterServes() throws IOException {
        start(StartState.AWSKMS);
        CliRun converge = apply();
        assertThat(converge.exitCode()).as(converge.all()).isZero();
        cluster.awaitAllUnsealed(FleetCluster.TIMEOUT);
        int active = cluster.activeNode();
        List<Integer> standbys = IntStream.range(0, 3).filter(node -> node != active).boxed().toList();
        int denied = standbys.get(0);
        cluster.emulator().faults().denyFrom(InetAddress.getByName(cluster.host(denied).address()), "kms:Decrypt");
        long[] before = restarts();
        Map<Integer, String> stanzas = new TreeMap<>();
        for (int node = 0; node < 3; node++) {
            stanzas.put(node, Files.readString(cluster.host(node).path("/etc/vault.d/seal-awskms.hcl")));
        }

        CliRun halted = apply("--templates", changedTemplates().toString(), "-e", "vault_status_retries=6");

        assertThat(halted.exitCode()).as(halted.all()).isEqualTo(1);
        String deniedName = cluster.host(denied).name();
        assertThat(halted.stdout()).containsPattern(deniedName + " +\\| FAILED +\\| .*the rollout of cluster \\(the play's hosts\\) "
                + "stopped here\\. The node is now: sealed \\(awskms").contains("AccessDeniedException");
        for (int node : List.of(standbys.get(1), active)) {
            assertThat(halted.stdout()).containsPattern(cluster.host(node).name() + " +\\| skipped \\| " + Pattern.quote(
                    "rollout: not started: the rollout of cluster (the play's hosts) stopped at " + deniedName));
            assertThat(cluster.host(node).restarts("vault")).as("node " + node + " not restarted").isEqualTo(before[node]);
            assertThat(Files.readString(cluster.host(node).path("/etc/vault.d/seal-awskms.hcl"))).as("node " + node + " files kept")
                    .isEqualTo(stanzas.get(node));
        }
        assertThat(cluster.host(denied).restarts("vault")).isEqualTo(before[denied] + 1);
        assertThat(cluster.role(denied).role()).isEqualTo(Role.SEALED);
        assertThat(cluster.readSecret(active)).as("the cluster still serves reads").isEqualTo(FleetCluster.SECRET_DATA);
        assertThat(cluster.readSecret(standbys.get(1))).isEqualTo(FleetCluster.SECRET_DATA);
    }

    @Test
    void aNodeWhoseHostCannotReachItsKmsEndpointIsNotRestartedAndTheRolloutStopsThere() throws IOException {
        start(StartState.AWSKMS);
        CliRun converge = apply();
        assertThat(converge.exitCode()).as(converge.all()).isZero();
        cluster.awaitAllUnsealed(FleetCluster.TIMEOUT);
        int active = cluster.activeNode();
        int first = IntStream.range(0, 3).filter(node -> node != active).findFirst().orElseThrow();
        // nothing listens on the discard port: the first node in rollout order gets a new, unreachable endpoint
        String unreachable = "http://127.0.0.1:9";
        Files.writeString(inventory, Files.readString(inventory).replace("vault_kms_endpoint: " + cluster.kmsEndpoint(first) + "\n",
                "vault_kms_endpoint: " + unreachable + "\n"));
        long[] before = restarts();
        Map<String, String> files = hostFiles();

        CliRun refused = apply();

        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(1);
        assertThat(refused.stdout()).containsPattern(cluster.host(first).name() + " +\\| FAILED +\\| .*" + Pattern.quote(
                "not restarted: the host cannot reach its KMS endpoint " + unreachable));
        assertThat(restarts()).as("no node restarted").isEqualTo(before);
        assertThat(hostFiles()).as("no file changed on any host").isEqualTo(files);
        cluster.awaitAllUnsealed(FleetCluster.TIMEOUT);
    }

    @Test
    void aShamirClusterIsRefusedBeforeAnythingIsCreatedInAwsOrChangedOnItsHosts() throws IOException {
        start(StartState.SHAMIR);
        Map<String, String> files = hostFiles();
        cluster.emulator().requestLog().clear();

        CliRun refused = apply();

        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(1);
        assertThat(refused.stdout()).contains("initialized with a Shamir seal")
                .contains("not applied: every host of the play was refused before any change");
        Set<String> reads = Set.of("Describe", "Get", "List");
        assertThat(cluster.emulator().requestLog().entries()).as("requests to the emulator").isNotEmpty()
                .filteredOn(entry -> reads.stream().noneMatch(entry.action()::startsWith)).extracting(RequestLogEntry::toString)
                .isEmpty();
        assertThat(hostFiles()).isEqualTo(files);
        assertThat(restarts()).containsOnly(0L);
        for (int node = 0; node < 3; node++) {
            assertThat(refused.stdout()).containsPattern(cluster.host(node).name() + " +: ok=\\d+ changed=0 unreachable=0 failed=[1-9]");
        }
        assertThat(refused.stdout()).doesNotContainPattern("\\| changed +\\|");
        cluster.awaitAllUnsealed(FleetCluster.TIMEOUT);
    }
}

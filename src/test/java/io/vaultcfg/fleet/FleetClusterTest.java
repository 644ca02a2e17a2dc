package io.vaultcfg.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.fleet.FleetCluster.StartState;
import io.vaultcfg.fleet.UnsealPoller.NodeState;
import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.vault.NodeRole;
import io.vaultcfg.vault.NodeRole.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenBao raft cluster test ground in each starting state, asserted from the nodes themselves (token-less
 * answers read through {@link NodeRole}, data read back with the root token) and from the hosts' processes.
 */
class FleetClusterTest {
    @TempDir
    Path dir;
    FleetCluster cluster;

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

    List<NodeRole> roles() throws IOException {
        List<NodeRole> roles = new ArrayList<>();
        for (int node = 0; node < cluster.size(); node++) {
            roles.add(cluster.role(node));
        }
        return roles;
    }

    /** One active node, the others its standbys, one cluster id, every node unsealed on {@code sealType}. */
    void assertOneHealthyCluster(String sealType) throws IOException {
        List<NodeRole> roles = roles();
        assertThat(roles).extracting(NodeRole::role).containsOnly(Role.ACTIVE, Role.STANDBY)
                .filteredOn(role -> role == Role.ACTIVE).hasSize(1);
        assertThat(roles).extracting(NodeRole::sealType).containsOnly(sealType);
        assertThat(roles.stream().map(NodeRole::clusterId).distinct()).singleElement()
                .satisfies(id -> assertThat(id).isPresent());
        int active = cluster.activeNode();
        assertThat(roles).extracting(role -> role.leaderAddress().orElse("")).containsOnly(cluster.address(active));
        for (int node = 0; node < cluster.size(); node++) {
            assertThat(cluster.readSecret(node)).as("read through " + cluster.host(node).name()).isEqualTo(FleetCluster.SECRET_DATA);
        }
        assertThat(cluster.readPolicy(active)).isEqualTo(FleetCluster.POLICY_TEXT);
    }

    /**
     * Every file the fleet keeps (configs, service output, raft data) and every process's command line. Failures
     * name where a secret was found, never the secret.
     */
    void assertSecretsNowhere() throws IOException {
        List<String> secrets = cluster.secrets().all();
        assertThat(secrets).hasSize(FleetCluster.KEY_SHARES + 1);
        assertThat(secrets.stream().allMatch(secret -> secret.length() > 20)).as("keys and token read from sys/init").isTrue();
        String processes = Shell.run(List.of("ps", "-eo", "args")).output();
        assertThat(secrets.stream().anyMatch(processes::contains)).as("a key or the root token in a command line").isFalse();
        try (Stream<Path> files = Files.walk(cluster.host(0).dir().getParent())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(secrets.stream().anyMatch(content::contains)).as("a key or the root token in " + file).isFalse();
            }
        }
        String shown = cluster.secrets().toString();
        assertThat(secrets.stream().anyMatch(shown::contains)).as("a key or the root token in toString").isFalse();
    }

    @Test
    void aNewClusterOfThreeIsUninitializedVaultcfgReadsItAndCloseLeavesNoServerBehind() throws IOException {
        cluster = FleetCluster.start(3, StartState.NEW);

        for (int node = 0; node < 3; node++) {
            NodeRole role = cluster.role(node);
            assertThat(role.role()).isEqualTo(Role.UNINITIALIZED);
            assertThat(role.sealType()).isEqualTo("shamir");
            assertThat(role.clusterId()).isEmpty();
            String config = Files.readString(cluster.host(node).path("/etc/vault.d/vault.hcl"));
            for (int other = 0; other < 3; other++) {
                assertThat(config.contains("leader_api_addr = \"" + cluster.address(other) + "\"")).as("joins " + other).isEqualTo(other != node);
            }
            long pid = cluster.servicePid(node).orElseThrow();
            assertThat(cluster.host(node).exec("ps", "-o", "user=,args=", "-p", String.valueOf(pid)).output().trim().replaceAll("\\s+", " "))
                    .isEqualTo("vault " + Fleet.BAO + " server -config=/etc/vault.d/vault.hcl");
        }
        cluster.answers(0).captureAs("raft-uninitialized");

        CliRun check = CliRun.run(new SshjConnector(), Map.of(), "", "apply",
                cluster.writeInventory(dir.resolve("inventory.yml")).toString(), "--check");
        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        assertThat(check.stdout()).containsPattern("fleet-03 +: ok=\\d+ changed=[1-9]");

        List<Long> pids = new ArrayList<>();
        for (int node = 0; node < 3; node++) {
            assertThat(cluster.host(node).restarts("vault")).isZero();
            pids.add(cluster.servicePid(node).orElseThrow());
        }
        cluster.close();
        cluster = null;
        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("bao " + pid + " stopped").isFalse());
    }

    @Test
    void aShamirClusterOfThreeServesItsDataAndARestartedStandbyIsUnsealedBackIntoIt() throws IOException {
        cluster = FleetCluster.start(3, StartState.SHAMIR);

        assertOneHealthyCluster("shamir");
        assertThat(roles()).allSatisfy(role -> assertThat(role.recoverySeal()).isFalse());
        int active = cluster.activeNode();
        int standby = (active + 1) % 3;
        cluster.answers(active).captureAs("raft-shamir-active");
        cluster.answers(standby).captureAs("raft-shamir-standby");

        UnsealPoller poller = cluster.startPoller();
        cluster.restart(standby);
        NodeRole sealed = cluster.awaitRole(standby, role -> role.role() == Role.SEALED, Duration.ofSeconds(30));
        cluster.answers(standby).captureAs("raft-shamir-restarted-sealed");
        assertThat(sealed.initialized()).isTrue();
        assertThat(cluster.readSecret(active)).as("two of three serve").isEqualTo(FleetCluster.SECRET_DATA);
        cluster.unseal(standby);
        NodeRole back = cluster.awaitRole(standby, role -> role.role() == Role.STANDBY, Duration.ofSeconds(30));
        Awaitility.await("a round with every node unsealed").atMost(Duration.ofSeconds(10))
                .until(() -> poller.latest().unsealedCount() == 3);
        poller.close();

        assertThat(back.caughtUpWith(cluster.role(active))).isTrue();
        assertThat(poller.samples()).as("the restarted node seen down, then sealed")
                .anySatisfy(sample -> assertThat(sample.states().get(standby)).isEqualTo(NodeState.DOWN))
                .anySatisfy(sample -> assertThat(sample.states().get(standby)).isEqualTo(NodeState.SEALED))
                .allSatisfy(sample -> assertThat(IntStream.range(0, 3).filter(node -> node != standby)
                        .mapToObj(node -> sample.states().get(node))).as("the other nodes").doesNotContain(NodeState.SEALED, NodeState.DOWN));
        assertThat(poller.longestGap()).isPositive();
        assertThat(cluster.host(standby).restarts("vault")).isEqualTo(1);
        assertSecretsNowhere();
    }

    @Test
    void aShamirClusterOfFiveHasEveryNodeUnsealedAVoterAndServingItsData() throws IOException {
        cluster = FleetCluster.start(5, StartState.SHAMIR);

        assertOneHealthyCluster("shamir");
        assertThat(IntStream.range(0, 5).mapToObj(cluster::host).map(FleetHost::address))
                .containsExactly("127.0.1.1", "127.0.1.2", "127.0.1.3", "127.0.1.4", "127.0.1.5");
    }

    @Test
    void anAwsKmsClusterOfThreeAutoUnsealsEveryNodeFromItsOwnAddress() throws IOException {
        cluster = FleetCluster.start(3, StartState.AWSKMS);

        assertOneHealthyCluster("awskms");
        assertThat(roles()).allSatisfy(role -> assertThat(role.recoverySeal()).isTrue());
        int active = cluster.activeNode();
        cluster.answers(active).captureAs("raft-awskms-active");
        cluster.answers((active + 1) % 3).captureAs("raft-awskms-standby");
        String accessKeyId = cluster.sealAccess().orElseThrow().accessKeyId();
        assertThat(Files.readString(cluster.host(1).path("/etc/vault.d/seal-awskms.hcl"))).contains(cluster.kmsEndpoint(1).toString());

        cluster.emulator().requestLog().clear();
        for (int node = 0; node < 3; node++) {
            cluster.restart(node);
        }
        cluster.awaitAllUnsealed(FleetCluster.TIMEOUT);

        assertThat(cluster.emulator().requestLog().entries("kms", "Decrypt")).filteredOn(e -> e.succeeded())
                .allSatisfy(e -> assertThat(e.accessKeyId()).isEqualTo(accessKeyId))
                .extracting(e -> e.sourceAddress()).contains("127.0.1.1", "127.0.1.2", "127.0.1.3");
        assertThat(cluster.readSecret(cluster.activeNode())).isEqualTo(FleetCluster.SECRET_DATA);
    }
}

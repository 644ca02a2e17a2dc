package io.vaultcfg.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.fleet.FleetCluster.StartState;
import io.vaultcfg.fleet.MigrationKillPoint.Node;
import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.vault.NodeRole;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code apply --migrate-seal} killed (SIGKILL, a controller JVM of its own) after each step of the migration in
 * turn ({@link MigrationKillPoint}), each on a fresh 3-node Shamir cluster with data, then the same command run
 * again with the keys on stdin: it completes the migration every time. The kill is not a race: the run is held on
 * the host at the chosen node's restart or stop, killed there, then the hold is let go so the host's script goes on
 * without its controller, as it would ({@link HeldMigrationRun}). After the re-run every node is on awskms with a
 * recovery seal, unsealed, and the data is readable; the keys are in none of the runs' output.
 */
class FleetSealMigrationKillTest {
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

    /** -Dvaultcfg.killPoints=TEXT runs only the kill points whose name contains TEXT. */
    static Stream<MigrationKillPoint> killPoints() {
        String only = System.getProperty("vaultcfg.killPoints", "");
        return MigrationKillPoint.all().stream().filter(point -> point.name().contains(only));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("killPoints")
    void killedAtThisStepTheSameCommandCompletesTheMigration(MigrationKillPoint point) throws Exception {
        cluster = FleetCluster.start(3, StartState.SHAMIR);
        inventory = cluster.writeInventory(dir.resolve("inventory.yml"));
        String keys = String.join("\n", cluster.secrets().thresholdKeys()) + "\n";
        Map<Node, Integer> nodes = nodesByPart();
        RestartHold hold = RestartHold.install(cluster, "vault");

        String killedRun = HeldMigrationRun.killedAt(cluster, inventory, keys, hold, point.hold(),
                cluster.host(nodes.get(point.node())), dir.resolve("killed.log"), () -> {
                    for (Node migrated : point.migratedFirst()) {
                        int node = nodes.get(migrated);
                        Awaitility.await(migrated + " on the new seal when killed " + point).atMost(FleetCluster.TIMEOUT)
                                .pollInterval(Duration.ofMillis(100))
                                .until(() -> cluster.tryRole(node).filter(FleetSealMigrationKillTest::unsealedOnTheNewSeal).isPresent());
                    }
                }, point.sessionsKilled());

        CliRun rerun = CliRun.run(new SshjConnector(), Map.of(), keys, "apply", inventory.toString(), "--migrate-seal");

        assertThat(rerun.exitCode()).as("killed " + point + ":\n" + killedRun + "\nre-run:\n" + rerun.all()
                + cluster.serviceOutputs()).isZero();
        for (int node = 0; node < 3; node++) {
            NodeRole role = cluster.role(node);
            assertThat(role.sealed()).as("no node left sealed: " + role.describe()).isFalse();
            assertThat(role.sealType()).as(role.describe()).isEqualTo("awskms");
            assertThat(role.recoverySeal()).as(role.describe()).isTrue();
            assertThat(role.migration()).as(role.describe()).isFalse();
            assertThat(cluster.readSecret(node)).isEqualTo(FleetCluster.SECRET_DATA);
        }
        assertThat(cluster.readPolicy(cluster.activeNode())).isEqualTo(FleetCluster.POLICY_TEXT);
        for (String key : cluster.secrets().keys()) {
            assertThat(killedRun + rerun.all()).as("an unseal key in the runs' output").doesNotContain(key);
        }
    }

    static boolean unsealedOnTheNewSeal(NodeRole role) {
        return role.unsealed() && (role.migration() || role.sealType().equals("awskms"));
    }

    /** The standbys in inventory order (the rollout's order), then the active node. */
    Map<Node, Integer> nodesByPart() {
        int active = cluster.activeNode();
        List<Integer> standbys = IntStream.range(0, 3).filter(node -> node != active).boxed().toList();
        return Map.of(Node.FIRST_STANDBY, standbys.get(0), Node.SECOND_STANDBY, standbys.get(1), Node.ACTIVE, active);
    }
}

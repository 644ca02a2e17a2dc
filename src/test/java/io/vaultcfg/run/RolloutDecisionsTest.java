package io.vaultcfg.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.module.NodeRoleFact;
import io.vaultcfg.vault.NodeRole;
import io.vaultcfg.vault.NodeRole.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The rolling decisions as pure functions: cluster membership, the restart order, and a cluster's health. */
class RolloutDecisionsTest {
    static NodeRole role(Role role, String clusterId, long committed, long applied) {
        boolean initialized = role != Role.UNINITIALIZED;
        boolean unsealed = role == Role.ACTIVE || role == Role.STANDBY;
        return new NodeRole(role, initialized, !unsealed, "awskms", true, false, "2.6.2",
                unsealed ? Optional.of(clusterId) : Optional.empty(), Optional.of("http://127.0.1.1:8200"),
                unsealed ? OptionalLong.of(committed) : OptionalLong.empty(), unsealed ? OptionalLong.of(applied) : OptionalLong.empty());
    }

    static Clusters.Node node(String host, String declared, NodeRole role) {
        return new Clusters.Node(host, Optional.ofNullable(declared), Optional.ofNullable(role), false);
    }

    static NodeRoleFact.Reading reading(NodeRole role) {
        return new NodeRoleFact.Reading(Optional.of(role), Optional.of(true), false, "");
    }

    @Test
    void standbysGoFirstInInventoryOrderAndTheActiveNodeLast() {
        Map<String, Optional<NodeRole>> roles = new LinkedHashMap<>();
        roles.put("v1", Optional.of(role(Role.ACTIVE, "c", 9, 9)));
        roles.put("v2", Optional.of(role(Role.STANDBY, "c", 9, 9)));
        roles.put("v3", Optional.of(role(Role.STANDBY, "c", 9, 9)));
        assertThat(RolloutOrder.of(List.of("v1", "v2", "v3"), roles)).containsExactly("v2", "v3", "v1");

        roles.put("v2", Optional.of(role(Role.ACTIVE, "c", 9, 9)));
        roles.put("v1", Optional.of(role(Role.STANDBY, "c", 9, 9)));
        assertThat(RolloutOrder.of(List.of("v1", "v2", "v3"), roles)).containsExactly("v1", "v3", "v2");
    }

    @Test
    void nodesServingNothingGoFirstAndANewClusterGoesInInventoryOrder() {
        Map<String, Optional<NodeRole>> roles = new LinkedHashMap<>();
        roles.put("v1", Optional.of(role(Role.ACTIVE, "c", 9, 9)));
        roles.put("v2", Optional.of(role(Role.STANDBY, "c", 9, 9)));
        roles.put("v3", Optional.of(role(Role.SEALED, "c", 0, 0)));
        roles.put("v4", Optional.empty());
        assertThat(RolloutOrder.of(List.of("v1", "v2", "v3", "v4"), roles)).containsExactly("v3", "v4", "v2", "v1");

        Map<String, Optional<NodeRole>> fresh = Map.of("a", Optional.of(role(Role.UNINITIALIZED, "", 0, 0)),
                "b", Optional.of(role(Role.UNINITIALIZED, "", 0, 0)), "c", Optional.of(role(Role.UNINITIALIZED, "", 0, 0)));
        assertThat(RolloutOrder.of(List.of("c", "a", "b"), fresh)).containsExactly("c", "a", "b");
    }

    @Test
    void thePlaysHostsAreOneClusterByDefaultAndVaultClusterSplitsThem() {
        Clusters.Layout one = Clusters.of(List.of(node("v1", null, role(Role.ACTIVE, "c1", 1, 1)),
                node("v2", null, role(Role.STANDBY, "c1", 1, 1))));
        assertThat(one.clusters()).singleElement().satisfies(cluster -> {
            assertThat(cluster.hosts()).containsExactly("v1", "v2");
            assertThat(cluster.refusal()).isEmpty();
        });

        Clusters.Layout two = Clusters.of(List.of(node("a1", "east", role(Role.ACTIVE, "e", 1, 1)),
                node("b1", "west", role(Role.ACTIVE, "w", 1, 1)), node("a2", "east", role(Role.STANDBY, "e", 1, 1)),
                node("solo", "none", role(Role.ACTIVE, "s", 1, 1)),
                new Clusters.Node("dev", Optional.empty(), Optional.of(role(Role.ACTIVE, "d", 1, 1)), true)));
        assertThat(two.clusters()).extracting(Clusters.Cluster::name).containsExactly("east", "west");
        assertThat(two.clusterOf("a2").orElseThrow().hosts()).containsExactly("a1", "a2");
        assertThat(two.standalone()).as("vault_cluster: none, and a node without HA storage").containsExactly("solo", "dev");
        assertThat(two.clusters()).allSatisfy(cluster -> assertThat(cluster.refusal()).isEmpty());
    }

    @Test
    void nodesOfOneInventoryClusterReportingTwoClusterIdsAreRefused() {
        Clusters.Layout layout = Clusters.of(List.of(node("v1", "main", role(Role.ACTIVE, "id-a", 1, 1)),
                node("v2", "main", role(Role.STANDBY, "id-a", 1, 1)), node("v3", "main", role(Role.ACTIVE, "id-b", 1, 1)),
                node("v4", "main", role(Role.UNINITIALIZED, "", 0, 0))));
        assertThat(layout.clusterOf("v1").orElseThrow().refusal()).hasValueSatisfying(why -> assertThat(why)
                .startsWith("refused before any change").contains("id-a (v1, v2)", "id-b (v3)", "vault_cluster"));
    }

    @Test
    void withoutVaultClusterNodesReportingDifferentIdsAreSeparateClustersNotARefusal() {
        Clusters.Layout layout = Clusters.of(List.of(node("s1", null, role(Role.ACTIVE, "id-1", 1, 1)),
                node("s2", null, role(Role.ACTIVE, "id-2", 1, 1)), node("s3", null, role(Role.UNINITIALIZED, "", 0, 0))));
        assertThat(layout.clusters()).extracting(Clusters.Cluster::hosts)
                .containsExactlyInAnyOrder(List.of("s3"), List.of("s1"), List.of("s2"));
        assertThat(layout.clusters()).allSatisfy(cluster -> assertThat(cluster.refusal()).isEmpty());

        Clusters.Layout one = Clusters.of(List.of(node("v1", null, role(Role.ACTIVE, "id", 1, 1)),
                node("v2", null, role(Role.SEALED, "", 0, 0))));
        assertThat(one.clusters()).singleElement().satisfies(cluster -> assertThat(cluster.hosts()).containsExactly("v1", "v2"));
    }

    @Test
    void oneRaftClusterSplitOverTwoVaultClusterValuesIsRefused() {
        Clusters.Layout layout = Clusters.of(List.of(node("v1", "east", role(Role.ACTIVE, "same", 1, 1)),
                node("v2", "west", role(Role.STANDBY, "same", 1, 1))));
        assertThat(layout.clusters()).allSatisfy(cluster -> assertThat(cluster.refusal()).hasValueSatisfying(why ->
                assertThat(why).contains("cluster id same", "east and west")));
    }

    @Test
    void aDefaultClusterWhoseNodesTellNoRoleDissolvesButADeclaredOneStays() {
        Clusters.Layout unseen = Clusters.of(List.of(node("v1", null, null), node("v2", null, null)));
        assertThat(unseen.clusters()).isEmpty();
        assertThat(unseen.standalone()).containsExactly("v1", "v2");

        Clusters.Layout declared = Clusters.of(List.of(node("v1", "main", null), node("v2", "main", null)));
        assertThat(declared.clusterOf("v2").orElseThrow().hosts()).containsExactly("v1", "v2");
    }

    @Test
    void aNodeIsRestartedOnlyWhileEveryOtherNodeIsUnsealedAndCaughtUp() {
        List<String> hosts = List.of("v1", "v2", "v3");
        Map<String, NodeRoleFact.Reading> healthy = new LinkedHashMap<>();
        healthy.put("v1", reading(role(Role.ACTIVE, "c", 40, 40)));
        healthy.put("v2", reading(role(Role.STANDBY, "c", 40, 40)));
        healthy.put("v3", reading(role(Role.STANDBY, "c", 40, 40)));
        assertThat(ClusterHealth.notReady(hosts, Optional.of("v2"), healthy)).isEmpty();

        Map<String, NodeRoleFact.Reading> lagging = new LinkedHashMap<>(healthy);
        lagging.put("v3", reading(role(Role.STANDBY, "c", 39, 38)));
        assertThat(ClusterHealth.notReady(hosts, Optional.of("v2"), lagging)).hasValueSatisfying(why ->
                assertThat(why).startsWith("v3 has not caught up"));
        assertThat(ClusterHealth.notReady(hosts, Optional.of("v3"), lagging)).as("the lagging node itself may go").isEmpty();

        Map<String, NodeRoleFact.Reading> sealed = new LinkedHashMap<>(healthy);
        sealed.put("v3", reading(role(Role.SEALED, "c", 0, 0)));
        assertThat(ClusterHealth.notReady(hosts, Optional.of("v2"), sealed)).hasValueSatisfying(why -> assertThat(why).startsWith("v3 is sealed"));

        Map<String, NodeRoleFact.Reading> down = new LinkedHashMap<>(healthy);
        down.put("v1", new NodeRoleFact.Reading(Optional.empty(), Optional.empty(), true, "down: the node does not answer"));
        assertThat(ClusterHealth.notReady(hosts, Optional.of("v2"), down)).hasValueSatisfying(why ->
                assertThat(why).contains("v1: down", "no node of the cluster is active"));
        Map<String, NodeRoleFact.Reading> unread = new LinkedHashMap<>(healthy);
        unread.remove("v3");
        assertThat(ClusterHealth.notReady(hosts, Optional.of("v2"), unread)).hasValue("v3: not read");
    }

    @Test
    void aNewClusterNeedsOnlyItsNodesToAnswer() {
        List<String> hosts = List.of("v1", "v2");
        Map<String, NodeRoleFact.Reading> fresh = new LinkedHashMap<>();
        fresh.put("v1", reading(role(Role.UNINITIALIZED, "", 0, 0)));
        fresh.put("v2", reading(role(Role.UNINITIALIZED, "", 0, 0)));
        assertThat(ClusterHealth.notReady(hosts, Optional.empty(), fresh)).isEmpty();
        fresh.put("v2", new NodeRoleFact.Reading(Optional.empty(), Optional.empty(), true, "down: the node does not answer"));
        assertThat(ClusterHealth.notReady(hosts, Optional.empty(), fresh)).hasValue("v2: down: the node does not answer");
    }

    @Test
    void maxFailPercentageStopsWhenExceededNotWhenEqualledAndAnAllFailedBatchStops() {
        HostResult ok = new HostResult("p", "a", false, List.of(), Optional.empty());
        HostResult failed = new HostResult("p", "b", false, List.of(), Optional.of("boom"));
        HostResult lost = new HostResult("p", "c", true, List.of(), Optional.of("gone"));
        assertThat(FailureLimit.afterBatch(Optional.of(50), List.of(ok, failed))).as("50% equalled").isEmpty();
        assertThat(FailureLimit.afterBatch(Optional.of(49), List.of(ok, failed))).hasValueSatisfying(why ->
                assertThat(why).contains("1 of 2", "max_fail_percentage 49%"));
        assertThat(FailureLimit.afterBatch(Optional.of(0), List.of(ok, ok))).isEmpty();
        assertThat(FailureLimit.afterBatch(Optional.empty(), List.of(ok, failed))).isEmpty();
        assertThat(FailureLimit.afterBatch(Optional.empty(), List.of(failed, lost))).hasValueSatisfying(why ->
                assertThat(why).contains("every host of the batch before failed"));
    }
}

package io.vaultcfg.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.fleet.FleetCluster.StartState;
import io.vaultcfg.vault.NodeRole;
import io.vaultcfg.vault.NodeRole.Role;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The emulator's knob on a real awskms cluster: Decrypt denied to one node's address makes exactly that node
 * fail to unseal when restarted; the others unseal, and the cluster keeps serving.
 */
class FleetKmsDenialTest {
    FleetCluster cluster;

    @BeforeEach
    void start() throws IOException {
        FleetCluster.assumeAvailable();
        cluster = FleetCluster.start(3, StartState.AWSKMS);
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    List<RequestLogEntry> decryptsFrom(int node) {
        return cluster.emulator().requestLog().entries("kms", "Decrypt").stream()
                .filter(entry -> cluster.host(node).address().equals(entry.sourceAddress())).toList();
    }

    @Test
    void aNodeDeniedDecryptStaysSealedAfterItsRestartWhileTheOthersUnsealAndServe() throws IOException {
        int denied = 1;
        int active = cluster.activeNode();
        int other = active == 2 ? 0 : 2;
        cluster.emulator().requestLog().clear();
        cluster.emulator().faults().denyFrom(InetAddress.getByName(cluster.host(denied).address()), "kms:Decrypt");

        cluster.restart(denied);
        Awaitility.await("a denied Decrypt from " + cluster.host(denied).name()).atMost(Duration.ofSeconds(30))
                .until(() -> decryptsFrom(denied).size() >= 2);

        assertThat(decryptsFrom(denied)).extracting(RequestLogEntry::outcome).containsOnly("AccessDeniedException");
        NodeRole sealed = cluster.role(denied);
        assertThat(sealed.role()).isEqualTo(Role.SEALED);
        assertThat(sealed.initialized()).isTrue();
        assertThat(sealed.sealType()).isEqualTo("awskms");
        cluster.answers(denied).captureAs("raft-awskms-sealed");
        assertThat(cluster.readSecret(active)).isEqualTo(FleetCluster.SECRET_DATA);

        cluster.restart(other);
        cluster.awaitRole(other, NodeRole::unsealed, FleetCluster.TIMEOUT);

        assertThat(decryptsFrom(other)).extracting(RequestLogEntry::outcome).contains("OK").doesNotContain("AccessDeniedException");
        assertThat(cluster.role(denied).role()).isEqualTo(Role.SEALED);
        assertThat(cluster.readSecret(other)).isEqualTo(FleetCluster.SECRET_DATA);

        cluster.emulator().faults().allowFrom(InetAddress.getByName(cluster.host(denied).address()), "kms:Decrypt");
        cluster.restart(denied);
        cluster.awaitRole(denied, role -> role.role() == Role.STANDBY, FleetCluster.TIMEOUT);
        assertThat(cluster.readSecret(denied)).isEqualTo(FleetCluster.SECRET_DATA);
    }
}

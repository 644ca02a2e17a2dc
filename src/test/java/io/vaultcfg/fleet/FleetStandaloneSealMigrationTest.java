package io.vaultcfg.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.fleet.FleetCluster.StartState;
import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.vault.NodeRole;
import io.vaultcfg.vault.NodeRole.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply --migrate-seal} on a standalone OpenBao node sealed with Shamir keys ({@code storage "raft"} with no
 * {@code retry_join}: no peer to hand the migration to): restarted on awskms, unsealed with migrate, it completes its
 * own migration; afterwards awskms with a recovery seal, its data intact, and a restart unseals it through KMS.
 */
class FleetStandaloneSealMigrationTest {
    @TempDir
    Path dir;
    FleetCluster node;

    @BeforeEach
    void available() {
        FleetCluster.assumeAvailable();
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aStandaloneShamirNodeMigratesItselfToAwsKmsKeepsItsDataAndAutoUnsealsOnRestart() throws Exception {
        node = FleetCluster.start(1, StartState.SHAMIR);
        assertThat(Files.readString(node.host(0).path("/etc/vault.d/vault.hcl"))).as("no raft peer").doesNotContain("retry_join");
        assertThat(node.role(0).sealType()).isEqualTo("shamir");
        Path inventory = node.writeInventory(dir.resolve("inventory.yml"));
        long restarts = node.host(0).restarts("vault");

        CliRun migrated = CliRun.run(new SshjConnector(), Map.of(), String.join("\n", node.secrets().thresholdKeys()) + "\n",
                "apply", inventory.toString(), "--migrate-seal");

        assertThat(migrated.exitCode()).as(migrated.all() + node.serviceOutputs()).isZero();
        assertThat(migrated.stdout()).contains("seal migration: unsealed with the unseal keys (migrate)");
        NodeRole role = node.role(0);
        assertThat(role.sealed()).as(role.describe()).isFalse();
        assertThat(role.role()).as(role.describe()).isEqualTo(Role.ACTIVE);
        assertThat(role.sealType()).as(role.describe()).isEqualTo("awskms");
        assertThat(role.recoverySeal()).as(role.describe()).isTrue();
        assertThat(role.migration()).as(role.describe()).isFalse();
        assertThat(node.readSecret(0)).isEqualTo(FleetCluster.SECRET_DATA);
        assertThat(node.readPolicy(0)).isEqualTo(FleetCluster.POLICY_TEXT);
        assertThat(node.host(0).restarts("vault")).as("restarted once, on the new seal").isEqualTo(restarts + 1);

        node.restart(0);
        node.awaitAllUnsealed(FleetCluster.TIMEOUT);
        assertThat(node.role(0).sealType()).isEqualTo("awskms");
        assertThat(node.readSecret(0)).isEqualTo(FleetCluster.SECRET_DATA);

        CliRun again = CliRun.run(new SshjConnector(), Map.of(), "", "apply", inventory.toString(), "--check", "--migrate-seal");
        assertThat(again.exitCode()).as(again.all()).isZero();
        for (String key : node.secrets().keys()) {
            assertThat(migrated.all() + again.all()).as("an unseal key in the output").doesNotContain(key);
        }
    }
}

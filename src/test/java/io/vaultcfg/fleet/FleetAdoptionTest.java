package io.vaultcfg.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.emulator.TestClients;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.fleet.FleetCluster.StartState;
import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.vault.NodeRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * Issue 15 on real OpenBao raft clusters: nodes set up by hand as the seed runbook says are adopted (no second key,
 * user, stanza, EnvironmentFile= or restart; only what is missing is made), a wrong env file mode is fixed without a
 * restart, and a node on a transit seal is refused before anything changes.
 */
class FleetAdoptionTest {
    static final Set<String> READS = Set.of("Describe", "Get", "List");

    @TempDir
    Path dir;
    FleetCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    CliRun vaultcfg(String... extra) throws IOException {
        String[] args = Stream.concat(Stream.of("apply", cluster.writeInventory(dir.resolve("inventory.yml")).toString()),
                Stream.of(extra)).toArray(String[]::new);
        return CliRun.run(new SshjConnector(), Map.of(), "", args);
    }

    /** Every file below /etc/vault.d and /etc/systemd/system of every node: path, owner, mode and content. */
    Map<String, String> files() throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (int node = 0; node < cluster.size(); node++) {
            for (String root : List.of("/etc/vault.d", "/etc/systemd/system")) {
                Path base = cluster.host(node).path(root);
                try (Stream<Path> paths = Files.walk(base)) {
                    for (Path path : paths.toList()) {
                        String owner = Files.getOwner(path).getName();
                        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
                        files.put(cluster.host(node).name() + ":" + root + "/" + base.relativize(path), owner + " " + mode + " "
                                + (Files.isRegularFile(path) ? Files.readString(path).hashCode() : "dir"));
                    }
                }
            }
        }
        return files;
    }

    List<RequestLogEntry> awsWrites() {
        return cluster.emulator().requestLog().entries().stream()
                .filter(entry -> entry.service().equals("kms") || entry.service().equals("iam"))
                .filter(entry -> READS.stream().noneMatch(entry.action()::startsWith))
                .filter(entry -> !Set.of("Encrypt", "Decrypt").contains(entry.action()))
                .toList();
    }

    long restarts() throws IOException {
        long restarts = 0;
        for (int node = 0; node < cluster.size(); node++) {
            restarts += cluster.host(node).restarts("vault");
        }
        return restarts;
    }

    @Test
    void nodesSetUpByHandAsTheSeedSaysAreAdoptedWithoutASecondKeyUserStanzaOrRestart() throws IOException {
        FleetCluster.assumeAvailable();
        cluster = FleetCluster.start(3, StartState.HAND_MADE);
        ClusterKms.SealAccess access = cluster.sealAccess().orElseThrow();
        Map<String, String> before = files();
        cluster.emulator().requestLog().clear();

        CliRun check = vaultcfg("--check", "--diff");

        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        assertThat(check.stdout()).contains("would create alias alias/vault-auto-unseal", "would turn key rotation back on for "
                        + access.keyId(), "would tag KMS key " + access.keyId(), "would tag IAM user vault-auto-unseal",
                "would remove console login of IAM user vault-auto-unseal", "made by hand", "kept as the seal policy")
                .doesNotContain("would create KMS key", "would create IAM user", "would create policy", "would create access key",
                        "would attach");
        for (int node = 0; node < 3; node++) {
            assertThat(check.stdout()).containsPattern(cluster.host(node).name() + " +: ok=\\d+ changed=0 ");
        }
        assertThat(check.all()).doesNotContain(access.secretAccessKey());
        assertThat(awsWrites()).isEmpty();

        CliRun apply = vaultcfg("--report", dir.resolve("report.json").toString());

        assertThat(apply.exitCode()).as(apply.all()).isZero();
        assertThat(apply.all() + Files.readString(dir.resolve("report.json"))).doesNotContain(access.secretAccessKey());
        try (TestClients aws = new TestClients(cluster.emulator())) {
            assertThat(aws.adminKms().listKeys().keys()).singleElement().satisfies(key -> assertThat(key.keyId()).isEqualTo(access.keyId()));
            assertThat(aws.adminKms().describeKey(r -> r.keyId("alias/vault-auto-unseal")).keyMetadata().keyId()).isEqualTo(access.keyId());
            assertThat(aws.adminKms().getKeyRotationStatus(r -> r.keyId(access.keyId())).keyRotationEnabled()).isTrue();
            assertThat(aws.adminIam().listUsers().users()).extracting(u -> u.userName()).containsExactly(ClusterKms.HAND_MADE_USER);
            assertThat(aws.adminIam().listAccessKeys(r -> r.userName(ClusterKms.HAND_MADE_USER)).accessKeyMetadata())
                    .singleElement().satisfies(key -> assertThat(key.accessKeyId()).isEqualTo(access.accessKeyId()));
            assertThat(aws.adminIam().listAttachedUserPolicies(r -> r.userName(ClusterKms.HAND_MADE_USER)).attachedPolicies())
                    .extracting(p -> p.policyName()).containsExactly(ClusterKms.HAND_MADE_POLICY);
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> aws.adminIam().getLoginProfile(
                    r -> r.userName(ClusterKms.HAND_MADE_USER)))).isInstanceOf(NoSuchEntityException.class);
        }
        assertThat(files()).as("no second stanza, no drop-in, no file touched").isEqualTo(before);
        assertThat(restarts()).as("no restart").isZero();
        cluster.awaitAllUnsealed(FleetCluster.TIMEOUT);
        assertThat(cluster.role(0).sealType()).isEqualTo("awskms");

        CliRun again = vaultcfg("--check");
        assertThat(again.exitCode()).as(again.all()).isZero();

        // a wrong mode is what is wrong: fixed, and the service (which read the file already) is not restarted
        Path env = cluster.host(1).path("/etc/vault.d/vault.env");
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-r--r--"));
        CliRun modeCheck = vaultcfg("--check");
        assertThat(modeCheck.exitCode()).as(modeCheck.all()).isEqualTo(2);
        assertThat(modeCheck.stdout()).contains("mode 644 -> 600").containsPattern(cluster.host(1).name() + " +: ok=\\d+ changed=1 ")
                .containsPattern(cluster.host(0).name() + " +: ok=\\d+ changed=0 ");
        CliRun fix = vaultcfg();
        assertThat(fix.exitCode()).as(fix.all()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env))).isEqualTo("rw-------");
        assertThat(Files.getOwner(env).getName()).isEqualTo("vault");
        assertThat(restarts()).as("no restart for a mode").isZero();
        assertThat(cluster.role(1).unsealed()).isTrue();
        assertThat(cluster.readSecret(1)).isEqualTo(FleetCluster.SECRET_DATA);
    }

    @Test
    void aNodeOnATransitSealIsRefusedWithNothingChanged() throws IOException {
        FleetCluster.assumeAvailable();
        cluster = FleetCluster.start(1, StartState.TRANSIT);
        assertThat(cluster.role(0).sealType()).isEqualTo("transit");
        assertThat(cluster.role(0).unsealed()).isTrue();
        Map<String, String> before = files();
        cluster.emulator().requestLog().clear();

        CliRun check = vaultcfg("--check");
        CliRun apply = vaultcfg("--diff");

        assertThat(check.exitCode()).as(check.all()).isEqualTo(1);
        assertThat(apply.exitCode()).as(apply.all()).isEqualTo(1);
        assertThat(apply.stdout()).contains("refused", "seal \"transit\" at /etc/vault.d/vault.hcl:", "another seal type");
        assertThat(check.all() + apply.all()).doesNotContain(cluster.transit().orElseThrow().token());
        assertThat(awsWrites()).as("nothing made in AWS").isEmpty();
        try (TestClients aws = new TestClients(cluster.emulator())) {
            assertThat(aws.adminKms().listKeys().keys()).isEmpty();
            assertThat(aws.adminIam().listUsers().users()).isEmpty();
        }
        assertThat(files()).as("no file changed").isEqualTo(before);
        assertThat(restarts()).isZero();
        NodeRole role = cluster.role(0);
        assertThat(role.unsealed()).isTrue();
        assertThat(role.sealType()).isEqualTo("transit");
    }
}

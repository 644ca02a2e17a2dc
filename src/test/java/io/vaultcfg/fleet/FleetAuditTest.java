package io.vaultcfg.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.SealPolicyDocument;
import io.vaultcfg.aws.emulator.TestClients;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.fleet.FleetCluster.StartState;
import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.JUnitXml;
import io.vaultcfg.vault.NodeRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * {@code vaultcfg audit} on a real OpenBao raft cluster on awskms, set up by hand (an inline policy, rotation off):
 * exactly those AWS practices are findings while every node passes; fixed by hand in AWS, the fleet passes; a node's
 * stanza given the access key is then that node's one finding. Nothing is written anywhere.
 */
class FleetAuditTest {
    static final String CREDENTIALS = "no AWS credentials in the configuration Vault loads";

    @TempDir
    Path dir;
    FleetCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    CliRun audit() throws IOException {
        return CliRun.run(new SshjConnector(), Map.of(), "", "audit", cluster.writeInventory(dir.resolve("inventory.yml")).toString(),
                "--junit", dir.resolve("audit.xml").toString());
    }

    @Test
    void theClusterIsAuditedOnAwsAndOnEveryNodeAndEachBrokenPracticeIsAFinding() throws IOException {
        FleetCluster.assumeAvailable();
        cluster = FleetCluster.start(3, StartState.AWSKMS);
        cluster.emulator().requestLog().clear();

        CliRun byHand = audit();

        assertThat(byHand.exitCode()).as(byHand.all()).isEqualTo(2);
        assertThat(byHand.stdout()).containsPattern("controller +AWS: .* +FINDING +finding: KMS key rotation is on")
                .containsPattern("controller +AWS: .* +FINDING +finding: IAM user has no inline policy")
                .containsPattern("controller +AWS: .* +FINDING +finding: IAM user has exactly one managed policy")
                .containsPattern("controller +AWS: .* +ok +seal policy is exactly Encrypt/Decrypt/DescribeKey on the key: "
                        + ClusterKms.USER + "-kms \\(inline\\)")
                .contains("3 findings, 0 errors");
        assertThat(cluster.emulator().requestLog().entries()).extracting(RequestLogEntry::action)
                .allSatisfy(action -> assertThat(action).matches("(Describe|Get|List).*"));

        String keyArn;
        try (TestClients clients = new TestClients(cluster.emulator())) {
            IamClient iam = clients.adminIam();
            keyArn = clients.adminKms().describeKey(r -> r.keyId(ClusterKms.ALIAS)).keyMetadata().arn();
            clients.adminKms().enableKeyRotation(r -> r.keyId(keyArn));
            iam.deleteUserPolicy(r -> r.userName(ClusterKms.USER).policyName(ClusterKms.USER + "-kms"));
            String policy = iam.createPolicy(r -> r.policyName(ClusterKms.USER + "-kms").policyDocument(SealPolicyDocument.forKey(keyArn)))
                    .policy().arn();
            iam.attachUserPolicy(r -> r.userName(ClusterKms.USER).policyArn(policy));
        }

        CliRun clean = audit();

        assertThat(clean.exitCode()).as(clean.all()).isZero();
        assertThat(JUnitXml.read(dir.resolve("audit.xml"))).hasSize(14 + 3 * 4);

        Path stanza = cluster.host(1).path("/etc/vault.d/seal-awskms.hcl");
        String access = Files.readString(cluster.host(1).path("/etc/vault.d/vault.env")).lines()
                .filter(line -> line.startsWith("AWS_ACCESS_KEY_ID=")).findFirst().orElseThrow().substring("AWS_ACCESS_KEY_ID=".length());
        Files.writeString(stanza, Files.readString(stanza).replace("}", "  access_key = \"" + access + "\"\n}"));

        CliRun inStanza = audit();

        assertThat(inStanza.exitCode()).as(inStanza.all()).isEqualTo(2);
        assertThat(inStanza.stdout()).containsPattern(cluster.host(1).name() + " +" + CREDENTIALS + " +FINDING +finding: seal \"awskms\" "
                + "at /etc/vault.d/seal-awskms.hcl:1 holds access_key").contains("1 finding, 0 errors");
        for (int node = 0; node < cluster.size(); node++) {
            assertThat(cluster.role(node).unsealed()).as("the audit changed nothing").isTrue();
        }
        assertThat(cluster.role(0)).extracting(NodeRole::sealType).isEqualTo("awskms");
    }
}

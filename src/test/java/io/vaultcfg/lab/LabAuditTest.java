package io.vaultcfg.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.DefaultSealNames;
import io.vaultcfg.aws.HeldCredentials;
import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.JUnitXml;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * {@code vaultcfg audit} over SSH against the lab (embedded hosts, systemctl stand-in, Vault stand-in, emulator) after the
 * built-in playbook set it up: the fleet passes every check, then each practice broken on a host or in AWS is exactly
 * one finding, and the audit changed nothing.
 */
class LabAuditTest {
    static final String ADMIN_KEY = "AKIALABTESTADMIN0001";
    static final String ADMIN_SECRET = "lab-test-admin-secret";

    @TempDir
    Path dir;

    @Test
    void anAppliedLabPassesTheAuditAndEachBrokenPracticeIsAFinding() throws Exception {
        AtomicReference<AwsEmulator> emulator = new AtomicReference<>();
        LabAws.Factory factory = (state, port) -> {
            emulator.set(AwsEmulator.start(EmulatorOptions.defaults().withStateFile(state)
                    .withAdmin(new AccessKeyPair(ADMIN_KEY, ADMIN_SECRET))));
            return new LabAws(emulator.get().endpoint().toString(), ADMIN_KEY, ADMIN_SECRET, emulator.get());
        };
        LabLayout layout = new LabLayout(dir.resolve("lab"));
        try (Lab lab = Lab.start(layout, 3, 0, null, factory)) {
            CliRun apply = CliRun.run(new SshjConnector(), Map.of(), "", "apply", layout.inventory().toString());
            assertThat(apply.exitCode()).as(apply.all()).isZero();
            for (LabHost host : lab.hosts()) {
                HttpURLConnection init = open(host, "/v1/sys/init", "PUT");
                init.setDoOutput(true);
                init.getOutputStream().write("{\"recovery_shares\":1,\"recovery_threshold\":1}".getBytes(StandardCharsets.UTF_8));
                assertThat(init.getResponseCode()).isEqualTo(200);
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> LabTest.sealStatus(host).contains("\"sealed\":false"));
            }

            CliRun clean = audit(layout);
            assertThat(clean.exitCode()).as(clean.all()).isZero();
            assertThat(JUnitXml.read(dir.resolve("audit.xml"))).hasSize(14 + 3 * 4);

            LabHost loose = lab.hosts().get(0);
            LabHost inline = lab.hosts().get(1);
            LabHost unloaded = lab.hosts().get(2);
            Path env = loose.root().resolve("etc/vault.d/vault.env");
            Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-r--r--"));
            HeldCredentials held = HeldCredentials.fromEnvFile(Files.readString(env)).orElseThrow();
            Path seal = inline.root().resolve("etc/vault.d/seal-awskms.hcl");
            Files.writeString(seal, Files.readString(seal).replace("}", "  access_key = \"" + held.accessKeyId() + "\"\n  secret_key = \""
                    + held.secretAccessKey() + "\"\n}"));
            Files.delete(unloaded.root().resolve("etc/systemd/system/vault.service.d/10-vaultcfg-awskms.conf"));
            try (IamClient iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(emulator.get().endpoint())
                    .httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ADMIN_KEY, ADMIN_SECRET))).build()) {
                iam.createLoginProfile(r -> r.userName(DefaultSealNames.user("alias/vault-auto-unseal", "us-east-2"))
                        .password("Console-Password-1!"));
            }

            CliRun broken = audit(layout);

            assertThat(broken.exitCode()).as(broken.all()).isEqualTo(2);
            assertThat(broken.stdout()).containsPattern(loose.name() + " +vault.env is mode 0600 .* +FINDING +finding: .*mode 0644")
                    .containsPattern(inline.name() + " +no AWS credentials in the configuration Vault loads +FINDING +finding: "
                            + "seal \"awskms\" at .*seal-awskms.hcl:2 holds access_key and secret_key")
                    .containsPattern(unloaded.name() + " +the seal's systemd drop-in is loaded +FINDING +finding: systemd still loads "
                            + ".*10-vaultcfg-awskms.conf, which is gone")
                    .containsPattern("controller +AWS: .* +FINDING +finding: IAM user has no console login")
                    .contains("4 findings, 0 errors (exit code 2: findings).");
            assertThat(broken.all() + Files.readString(dir.resolve("audit.json")) + Files.readString(dir.resolve("audit.xml")))
                    .doesNotContain(held.secretAccessKey()).doesNotContain(ADMIN_SECRET);
            for (LabHost host : lab.hosts()) {
                assertThat(LabTest.sealStatus(host)).as("the audit changed nothing").contains("\"sealed\":false");
            }
            assertThat(Files.getPosixFilePermissions(env)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    CliRun audit(LabLayout layout) {
        return CliRun.run(new SshjConnector(), Map.of(), "", "audit", layout.inventory().toString(), "--report",
                dir.resolve("audit.json").toString(), "--junit", dir.resolve("audit.xml").toString());
    }

    static HttpURLConnection open(LabHost host, String path, String method) throws Exception {
        return LabTest.open(host, path, method);
    }
}

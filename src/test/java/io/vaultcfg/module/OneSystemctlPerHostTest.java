package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.CountedCommands;
import io.vaultcfg.testing.LocalConnector;
import io.vaultcfg.testing.LocalFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in playbook's facts round trip reads what the unit loads ({@link ServiceConfigFact}), the key its server runs
 * on ({@link RunningAccessKeyFact}) and whether it is active ({@link ServiceFact}) with one systemctl call: on a fleet
 * every process on every host adds up. What they read is unchanged: a converged node is in sync, a stopped one is started.
 */
class OneSystemctlPerHostTest {
    static final String KEY_ID = "AKIAONESYSTEMCTL0001";

    @TempDir
    Path dir;
    LocalFleet fleet;
    Path inventory;

    @BeforeEach
    void host() throws IOException {
        fleet = new LocalFleet(dir, List.of("vault-01"));
        inventory = fleet.writeInventory(Map.of("vaultcfg_manage_aws", "false", "aws_region", "eu-west-1",
                "kms_key_id", "1234abcd-12ab-34cd-56ef-1234567890ab"));
        fleet.withServiceStandIns("vault-01");
        Path config = fleet.root("vault-01").resolve("etc/vault.d");
        Files.writeString(fleet.root("vault-01").resolve("etc/systemd/system/vault.service"), "[Service]\nExecStart="
                + dir.resolve("bin/vault") + " server -config=" + config.resolve("vault.hcl") + "\n");
        Files.writeString(config.resolve("vault.hcl"), "storage \"raft\" {\n  path = \"/d\"\n}\n");
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        fleet.systemctl("vault-01", "stop", "vault");
    }

    CliRun run(String path, String... extra) {
        Map<String, String> env = new HashMap<>(fleet.systemctlEnv("vault-01"));
        env.put("PATH", path);
        List<String> args = new ArrayList<>(List.of("apply", inventory.toString(), "-e", "aws_access_key_id=" + KEY_ID));
        args.addAll(List.of(extra));
        return CliRun.run(new LocalConnector(Set.of(), env), Map.of("VAULTCFG_VAR_aws_secret_access_key", "secret-of-" + KEY_ID), "",
                args.toArray(String[]::new));
    }

    String binPath() {
        return dir.resolve("bin") + ":" + System.getenv("PATH");
    }

    CountedCommands countedSystemctl(String name) throws IOException {
        return CountedCommands.in(dir.resolve(name)).wrap("systemctl", dir.resolve("bin/systemctl"), binPath());
    }

    @Test
    void aConvergedCheckCallsSystemctlOnceAndIsInSync() throws Exception {
        CliRun apply = run(binPath());
        assertThat(apply.exitCode()).as(apply.all()).isZero();
        CountedCommands counted = countedSystemctl("check");

        CliRun check = run(counted.path().replace(System.getenv("PATH"), binPath()), "--check");

        assertThat(check.exitCode()).as(check.all()).isZero();
        assertThat(counted.counts()).isEqualTo(Map.of("systemctl", 1L));
    }

    /**
     * The whole facts round trip of a converged host, counted: the managed files (one stat, a dd each, one base64, one stat
     * after), then what the unit loads (two unit files and three config files, each read once; three stats, two base64).
     * Before each unit file was read once more and the units' second stat was a call of its own: 10 dd and 6 stat.
     */
    @Test
    void aConvergedCheckReadsEachFileOnceWithFiveStats() throws Exception {
        CliRun apply = run(binPath());
        assertThat(apply.exitCode()).as(apply.all()).isZero();
        CountedCommands counted = CountedCommands.in(dir.resolve("reads"), "stat", "dd", "base64")
                .wrap("systemctl", dir.resolve("bin/systemctl"), binPath());

        CliRun check = run(counted.path().replace(System.getenv("PATH"), binPath()), "--check");

        assertThat(check.exitCode()).as(check.all()).isZero();
        assertThat(counted.counts()).isEqualTo(Map.of("systemctl", 1L, "stat", 5L, "dd", 8L, "base64", 3L));
    }

    @Test
    void aStoppedServiceIsStillSeenInactiveFromTheOneCall() throws Exception {
        CliRun apply = run(binPath());
        assertThat(apply.exitCode()).as(apply.all()).isZero();
        stop();
        CountedCommands counted = countedSystemctl("stopped");

        CliRun check = run(counted.path().replace(System.getenv("PATH"), binPath()), "--check");

        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        assertThat(check.stdout()).as(check.all()).contains("vault-01 | changed | Vault is running: start vault");
        assertThat(counted.counts()).isEqualTo(Map.of("systemctl", 1L));
    }
}

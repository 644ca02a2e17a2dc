package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.aws.emulator.TestClients;
import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.LocalConnector;
import io.vaultcfg.testing.LocalFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explicit opt-in (vaultcfg_adopt_move_stanza): a hand-made stanza in vault.hcl moves into vaultcfg's own file,
 * with the same key, shown in the diff (only the removed lines of vault.hcl), and the node restarts once; without the
 * opt-in the stanza stays where it is. Local hosts whose unit the systemctl stand-in runs.
 */
class StanzaMoveTest {
    static final String ADMIN_KEY = "AKIAADMINEXAMPLE0001";
    static final String ADMIN_SECRET = "admin-secret-for-tests-0123456789abcdef";

    @TempDir
    Path dir;
    AwsEmulator emulator;
    LocalFleet fleet;
    Path inventory;
    String keyId;

    @BeforeEach
    void hosts() throws IOException {
        emulator = AwsEmulator.start(EmulatorOptions.defaults().withAdmin(new AccessKeyPair(ADMIN_KEY, ADMIN_SECRET)));
        System.setProperty("aws.accessKeyId", ADMIN_KEY);
        System.setProperty("aws.secretAccessKey", ADMIN_SECRET);
        try (TestClients aws = new TestClients(emulator)) {
            keyId = aws.adminKms().createKey(r -> r.description("by hand")).keyMetadata().keyId();
        }
        fleet = new LocalFleet(dir, List.of("vault-01"));
        inventory = fleet.writeInventory(Map.of("aws_region", "us-east-2", "aws_endpoint_url", emulator.endpoint().toString(),
                "aws_preflight_timeout", "20"));
        fleet.withServiceStandIns("vault-01");
        Path config = fleet.root("vault-01").resolve("etc/vault.d");
        Files.writeString(fleet.root("vault-01").resolve("etc/systemd/system/vault.service"), "[Service]\nEnvironmentFile=-"
                + config.resolve("vault.env") + "\nExecStart=" + dir.resolve("bin/vault") + " server -config=" + config.resolve("vault.hcl") + "\n");
        Files.writeString(config.resolve("vault.hcl"), "storage \"raft\" {\n  path = \"/d\"\n}\n\nseal \"awskms\" {\n"
                + "  region     = \"us-east-2\"\n  kms_key_id = \"" + keyId + "\"\n}\n\nui = true\n");
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        emulator.close();
        fleet.systemctl("vault-01", "stop", "vault");
    }

    CliRun run(String... extra) {
        Map<String, String> env = new java.util.HashMap<>(fleet.systemctlEnv("vault-01"));
        env.put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        LocalConnector connector = new LocalConnector(Set.of(), env);
        String[] args = new String[extra.length + 2];
        args[0] = "apply";
        args[1] = inventory.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        return CliRun.run(connector, Map.of(), "", args);
    }

    long restarts() throws IOException {
        Path log = dir.resolve("systemctl-state/calls.log");
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(line -> line.endsWith(" restart vault.service")).count() : 0;
    }

    @Test
    void withoutTheOptInTheStanzaStaysWhereItIs() throws IOException {
        CliRun apply = run();

        assertThat(apply.exitCode()).as(apply.all()).isZero();
        Path config = fleet.root("vault-01").resolve("etc/vault.d");
        assertThat(Files.readString(config.resolve("vault.hcl"))).contains("kms_key_id = \"" + keyId + "\"");
        assertThat(config.resolve("seal-awskms.hcl")).doesNotExist();
        assertThat(fleet.root("vault-01").resolve("etc/systemd/system/vault.service.d")).doesNotExist();
    }

    @Test
    void theOptInMovesTheStanzaIntoVaultcfgsFileWithTheSameKeyAndOneRestart() throws IOException {
        CliRun check = run("--check", "--diff", "-e", "vaultcfg_adopt_move_stanza=true");

        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        Path config = fleet.root("vault-01").resolve("etc/vault.d");
        assertThat(check.stdout()).contains("move the seal \"awskms\" stanza at " + config.resolve("vault.hcl") + ":5 into "
                        + config.resolve("seal-awskms.hcl"), "-seal \"awskms\" {", "+# seal \"awskms\" moved by vaultcfg to ")
                .doesNotContain("-ui = true").doesNotContain("storage \"raft\"");
        assertThat(Files.readString(config.resolve("vault.hcl"))).contains("seal \"awskms\"");

        long before = restarts();
        CliRun apply = run("-e", "vaultcfg_adopt_move_stanza=true");

        assertThat(apply.exitCode()).as(apply.all()).isZero();
        assertThat(Files.readString(config.resolve("vault.hcl"))).doesNotContain("seal \"awskms\" {")
                .contains("storage \"raft\"", "ui = true", "# seal \"awskms\" moved by vaultcfg to " + config.resolve("seal-awskms.hcl"));
        assertThat(Files.readString(config.resolve("seal-awskms.hcl"))).contains("kms_key_id = \"" + keyId + "\"");
        assertThat(Files.readString(fleet.root("vault-01").resolve("etc/systemd/system/vault.service.d/10-vaultcfg-awskms.conf")))
                .contains("-config=" + config.resolve("seal-awskms.hcl"));
        assertThat(restarts() - before).as("one restart").isEqualTo(1);

        CliRun again = run("--check", "-e", "vaultcfg_adopt_move_stanza=true");
        assertThat(again.exitCode()).as(again.all()).isZero();
    }
}

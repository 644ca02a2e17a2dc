package io.vaultcfg.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.LocalFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped playbook on a 50-host local fleet, as a drift-detection job runs it: {@code --check}
 * exits 0 in sync, 2 with changes pending, 1 on error; the console shows the hosts that differ and
 * counts the rest, so a converged fleet's check fits on a screen. The hosts are converged once, and
 * every test leaves them converged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetConsoleTest {
    static final int HOSTS = 50;
    static final String SECRET = "fleet-console-secret-7d41c2";

    @TempDir
    static Path dir;
    LocalFleet fleet;
    Path inventory;

    @BeforeAll
    void convergeTheFleet() throws IOException {
        List<String> hosts = IntStream.rangeClosed(1, HOSTS).mapToObj(i -> String.format("vault-%02d", i)).toList();
        fleet = new LocalFleet(dir, hosts);
        // hosts only: the KMS key and the access key come from elsewhere
        inventory = fleet.writeInventory(Map.of("vaultcfg_manage_aws", "false", "aws_region", "eu-west-1",
                "kms_key_id", "1234abcd-12ab-34cd-56ef-1234567890ab", "aws_access_key_id", "AKIAFLEETCONSOLE0001"));
        CliRun first = vaultcfg(fleet.connector());
        assertThat(first.exitCode()).as(first.all()).isEqualTo(0);
    }

    CliRun vaultcfg(SshConnector connector, String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "apply";
        full[1] = inventory.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        return CliRun.run(connector, Map.of("VAULTCFG_VAR_aws_secret_access_key", SECRET), "", full);
    }

    static List<String> beforeRecap(CliRun run) {
        String out = run.stdout();
        return out.substring(0, out.indexOf("PLAY RECAP")).lines().filter(line -> !line.isBlank()).toList();
    }

    @Test
    void aConvergedFleetsCheckIsAFewLinesPlusTheRecapAndExitsZero() throws IOException {
        Path report = dir.resolve("check.json");

        CliRun check = vaultcfg(fleet.connector(), "--check", "--report", report.toString());

        assertThat(check.exitCode()).as(check.all()).isEqualTo(0);
        assertThat(beforeRecap(check)).as(check.stdout()).hasSizeLessThanOrEqualTo(12)
                .contains("50 hosts in sync").noneMatch(line -> line.contains(" | "));
        assertThat(check.stdout()).contains("Everything is in sync (exit code 0).");
        for (String host : fleet.hosts()) {
            assertThat(check.stdout()).containsPattern(host + " +: ok=\\d+ changed=0 unreachable=0 failed=0");
        }
        // the JSON report keeps every task of every host
        String json = Files.readString(report);
        assertThat(json.split("\"task\" :", -1)).hasSizeGreaterThan(HOSTS * 6);
        assertThat(json).contains("\"host\" : \"vault-37\"", "\"status\" : \"ok\"").doesNotContain(SECRET);
    }

    @Test
    void verboseStillShowsEveryTaskOfEveryHost() {
        CliRun check = vaultcfg(fleet.connector(), "--check", "-v");

        assertThat(check.exitCode()).as(check.all()).isEqualTo(0);
        for (String host : fleet.hosts()) {
            assertThat(check.stdout()).contains(host + " | ok      | Vault is up and unsealed")
                    .contains(host + " | ok      | awskms seal stanza");
        }
        assertThat(check.stdout()).doesNotContain("hosts in sync");
    }

    @Test
    void oneDriftedHostStandsOutExitsTwoAndTheOthersAreACount() throws IOException {
        Path env = fleet.envFile("vault-23");
        String converged = Files.readString(env);
        Files.writeString(env, converged.replace("AWS_DEFAULT_REGION=eu-west-1", "AWS_DEFAULT_REGION=us-east-1"));
        try {
            CliRun check = vaultcfg(fleet.connector(), "--check");

            assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
            assertThat(beforeRecap(check)).as(check.stdout()).hasSizeLessThanOrEqualTo(12).contains("49 hosts in sync")
                    .anyMatch(line -> line.startsWith("vault-23 | changed | AWS credentials for the awskms seal (vault.env)"))
                    .allMatch(line -> !line.contains(" | ") || line.startsWith("vault-23 | "));
            assertThat(check.stdout()).contains("Changes pending").doesNotContain(SECRET);
        } finally {
            Files.writeString(env, converged);
        }
    }

    @Test
    void anUnreachableHostMakesTheCheckExitOneAndIsListed() {
        CliRun check = vaultcfg(fleet.connector(Set.of("vault-44")), "--check");

        assertThat(check.exitCode()).as(check.all()).isEqualTo(1);
        assertThat(beforeRecap(check)).as(check.stdout()).contains("49 hosts in sync")
                .anyMatch(line -> line.startsWith("vault-44 | UNREACHABLE | connection refused"));
    }

    @Test
    void badInputMakesTheCheckExitOne() {
        CliRun check = vaultcfg(fleet.connector(), "--check", "--limit", "no-such-host");

        assertThat(check.exitCode()).as(check.all()).isEqualTo(1);
        assertThat(check.stderr()).contains("no-such-host", "Nothing was changed.");
        assertThat(check.stdout()).doesNotContain("PLAY RECAP");
    }
}

package io.vaultcfg.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.SshHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret set in the inventory or with -e shows up in no output, diff, report (JSON or JUnit XML) or error of any run. */
class SecretCanaryTest {
    static final String INVENTORY_CANARY = "inv-canary-7c1f2a9e44";
    static final String EXTRA_CANARY = "cli-canary-0b3d5f7a99";

    @TempDir
    Path dir;
    SshHosts hosts;
    Path inventory;
    final List<String> seen = new ArrayList<>();
    int junits;

    @BeforeEach
    void start() throws IOException {
        hosts = SshHosts.start(dir.resolve("ssh"), 2);
        StringBuilder yaml = new StringBuilder("all:\n  vars:\n    ansible_become: false\n    plain: visible\n")
                .append("    app_secret_key: ").append(INVENTORY_CANARY).append('\n')
                .append("    ansible_user: ").append(System.getProperty("user.name")).append('\n')
                .append("    ansible_ssh_private_key_file: ").append(hosts.clientKey().privateKey()).append('\n')
                .append("    vaultcfg_known_hosts_file: ").append(hosts.knownHosts()).append('\n')
                .append("  hosts:\n");
        for (int i = 0; i < hosts.size(); i++) {
            Files.createDirectories(dir.resolve("root-" + i));
            yaml.append("    ").append(SshHosts.name(i)).append(":\n      ansible_host: 127.0.0.1\n      ansible_port: ")
                    .append(hosts.host(i).port()).append("\n      root: ").append(dir.resolve("root-" + i)).append('\n');
        }
        inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, yaml);
    }

    @AfterEach
    void stop() {
        hosts.close();
    }

    CliRun vaultcfg(String... args) throws IOException {
        Path report = dir.resolve("report-" + seen.size() + ".json");
        Path junit = dir.resolve("junit-" + seen.size() + ".xml");
        String[] full = Stream.concat(Stream.of("apply", inventory.toString(), "-p", "src/test/resources/canary/playbook.yml",
                "--report", report.toString(), "--junit", junit.toString()), Stream.of(args)).toArray(String[]::new);
        CliRun run = CliRun.run(new SshjConnector(), Map.of(), "", full);
        seen.add(run.all());
        if (Files.exists(report)) {
            seen.add(Files.readString(report));
        }
        if (Files.exists(junit)) {
            seen.add(Files.readString(junit));
            junits++;
        }
        return run;
    }

    @Test
    void noRunLeaksTheSecret() throws IOException {
        assertThat(vaultcfg("--check", "--diff").exitCode()).isEqualTo(2);
        CliRun apply = vaultcfg("--diff");
        assertThat(apply.exitCode()).as(apply.all()).isZero();
        assertThat(Files.readString(dir.resolve("root-0/secret.env"))).contains(INVENTORY_CANARY);

        Files.writeString(dir.resolve("root-1/secret.env"), "APP_SECRET_KEY=tampered\nPLAIN=visible\n");
        assertThat(vaultcfg("--check", "--diff").exitCode()).isEqualTo(2);

        CliRun withExtra = vaultcfg("--diff", "-e", "app_secret_key=" + EXTRA_CANARY);
        assertThat(withExtra.exitCode()).isZero();
        assertThat(Files.readString(dir.resolve("root-1/secret.env"))).contains(EXTRA_CANARY);

        CliRun failing = vaultcfg("-e", "fail_loudly=1", "-e", "app_secret_key=" + EXTRA_CANARY);
        assertThat(failing.exitCode()).isEqualTo(1);
        assertThat(failing.stdout()).contains("token is <redacted>");

        hosts.host(1).close();
        assertThat(vaultcfg("--check", "--diff", "--timeout", "2").exitCode()).isEqualTo(1);

        assertThat(seen).hasSizeGreaterThan(8).allSatisfy(text ->
                assertThat(text).doesNotContain(INVENTORY_CANARY, EXTRA_CANARY));
        assertThat(String.join("\n", seen)).contains("APP_SECRET_KEY=<redacted>", "PLAIN=visible", "token is &lt;redacted&gt;",
                "<testcase classname=\"Canary/");
        assertThat(junits).as("every run wrote its JUnit XML").isEqualTo(6);
    }
}

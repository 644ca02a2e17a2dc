package io.vaultcfg.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.CountingConnector;
import io.vaultcfg.testing.SshHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `vaultcfg apply` over real SSH (sshj) against three embedded MINA SSHD servers, each writing under
 * its own root directory (the engine is generic; the test playbook says where).
 */
class EngineOverSshTest {
    static final String CANARY = "canary-SECRET-8d1e0b6a55";
    static final Path PLAYBOOK = Path.of("src/test/resources/engine/playbook.yml");

    @TempDir
    Path dir;
    SshHosts hosts;
    Path inventory;

    @BeforeEach
    void startHosts() throws IOException {
        hosts = SshHosts.start(dir.resolve("ssh"), 3);
        StringBuilder yaml = new StringBuilder("all:\n  vars:\n")
                .append("    app_user: svc\n    region: eu-west-1\n    ansible_become: false\n")
                .append("    ansible_user: ").append(System.getProperty("user.name")).append('\n')
                .append("    ansible_ssh_private_key_file: ").append(hosts.clientKey().privateKey()).append('\n')
                .append("    vaultcfg_known_hosts_file: ").append(hosts.knownHosts()).append('\n')
                .append("  hosts:\n");
        for (int i = 0; i < hosts.size(); i++) {
            yaml.append("    ").append(SshHosts.name(i)).append(":\n")
                    .append("      ansible_host: 127.0.0.1\n")
                    .append("      ansible_port: ").append(hosts.host(i).port()).append('\n')
                    .append("      root: ").append(root(i)).append('\n');
        }
        inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, yaml);
    }

    @AfterEach
    void stopHosts() {
        hosts.close();
    }

    Path root(int i) {
        return dir.resolve("roots").resolve(SshHosts.name(i));
    }

    CliRun vaultcfg(String... args) {
        String[] full = Stream.concat(Stream.of("apply", inventory.toString(), "-p", PLAYBOOK.toString()), Stream.of(args))
                .toArray(String[]::new);
        return CliRun.run(new SshjConnector(), Map.of("VAULTCFG_VAR_app_secret_key", CANARY), "", full);
    }

    static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void firstApplyChangesEveryFileWithExactModesAndTheSecondChangesNothing() throws IOException {
        CliRun first = vaultcfg();

        assertThat(first.exitCode()).as(first.all()).isZero();
        for (int i = 0; i < hosts.size(); i++) {
            assertThat(mode(root(i).resolve("etc/app"))).isEqualTo("rwxr-x---");
            assertThat(mode(root(i).resolve("etc/app/app.env"))).isEqualTo("rw-------");
            assertThat(mode(root(i).resolve("etc/app/settings.conf"))).isEqualTo("rw-r--r--");
            assertThat(Files.readString(root(i).resolve("etc/app/app.env"))).contains("APP_SECRET_KEY=" + CANARY);
            assertThat(Files.readAllLines(root(i).resolve("restarts.log"))).containsExactly("restarted");
            assertThat(first.stdout()).containsPattern(SshHosts.name(i) + " *: ok=0 changed=4 unreachable=0 failed=0");
        }

        CliRun second = vaultcfg();

        assertThat(second.exitCode()).as(second.all()).isZero();
        for (int i = 0; i < hosts.size(); i++) {
            assertThat(second.stdout()).containsPattern(SshHosts.name(i) + " *: ok=3 changed=0 unreachable=0 failed=0");
            assertThat(Files.readAllLines(root(i).resolve("restarts.log"))).as("no handler ran").containsExactly("restarted");
        }
        assertThat(first.all() + second.all()).doesNotContain(CANARY);
    }

    @Test
    void aHostInSyncCostsOneConnectionAndOneRoundTrip() {
        assertThat(vaultcfg().exitCode()).isZero();
        CountingConnector counting = new CountingConnector(new SshjConnector());
        String[] check = {"apply", inventory.toString(), "-p", PLAYBOOK.toString(), "--check"};
        String[] apply = {"apply", inventory.toString(), "-p", PLAYBOOK.toString()};

        assertThat(CliRun.run(counting, Map.of("VAULTCFG_VAR_app_secret_key", CANARY), "", check).exitCode()).isZero();
        assertThat(CliRun.run(counting, Map.of("VAULTCFG_VAR_app_secret_key", CANARY), "", apply).exitCode()).isZero();

        for (int i = 0; i < hosts.size(); i++) {
            assertThat(counting.connects(SshHosts.name(i))).as("connections over two runs").isEqualTo(2);
            assertThat(counting.execs(SshHosts.name(i))).as("round trips after connect over two runs").isEqualTo(2);
        }
    }

    @Test
    void checkOnAFreshTargetReportsChangesExitsTwoAndLeavesItUntouched() throws IOException {
        CliRun check = vaultcfg("--check");

        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        assertThat(check.stdout()).contains("would run", "create " + root(0).resolve("etc/app/app.env"));
        for (int i = 0; i < hosts.size(); i++) {
            assertThat(root(i)).doesNotExist();
        }
    }

    @Test
    void diffIsReadableAndTheSecretLineRedacted() throws IOException {
        assertThat(vaultcfg().exitCode()).isZero();
        Path env = root(1).resolve("etc/app/app.env");
        Files.writeString(env, Files.readString(env).replace("APP_USER=svc", "APP_USER=root"));
        Path report = dir.resolve("report.json");

        CliRun diff = vaultcfg("--check", "--diff", "--report", report.toString());

        assertThat(diff.exitCode()).isEqualTo(2);
        assertThat(diff.stdout()).contains("--- before: " + env, "+++ after: " + env, "-APP_USER=root", "+APP_USER=svc",
                " APP_SECRET_KEY=<redacted>");
        assertThat(diff.all()).doesNotContain(CANARY);
        assertThat(Files.readString(report)).contains("\"host\" : \"vault-01\"", "\"status\" : \"changed\"").doesNotContain(CANARY);
    }

    @Test
    void anUnreachableHostIsReportedWhileTheOthersSucceed() throws IOException {
        int port = hosts.host(2).port();
        hosts.host(2).close();

        CliRun run = vaultcfg("--timeout", "3");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).contains("vault-02 | UNREACHABLE").containsPattern("vault-02 *: ok=0 changed=0 unreachable=1");
        assertThat(run.stdout()).containsPattern("vault-00 *: ok=0 changed=4 unreachable=0 failed=0");
        assertThat(root(0).resolve("etc/app/app.env")).exists();
        assertThat(root(1).resolve("etc/app/app.env")).exists();
        assertThat(port).isPositive();
    }

    @Test
    void aChangedHostKeyIsRefused() throws IOException {
        hosts.rebuild(1);

        CliRun run = vaultcfg();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).contains("vault-01 | UNREACHABLE").containsIgnoringCase("host key changed");
        assertThat(root(1)).doesNotExist();
        assertThat(root(0).resolve("etc/app/app.env")).exists();
    }
}

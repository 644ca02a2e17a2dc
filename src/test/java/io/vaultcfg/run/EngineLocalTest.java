package io.vaultcfg.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.LocalConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine end to end through the CLI, with a local shell standing in for SSH. */
class EngineLocalTest {
    static final String CANARY = "canary-SECRET-4f1c9e77d2";
    static final Path PLAYBOOK = Path.of("src/test/resources/engine/playbook.yml");

    @TempDir
    Path dir;
    Path inventory;
    List<String> hosts = List.of("node-1", "node-2", "node-3");

    @BeforeEach
    void writeInventory() throws IOException {
        StringBuilder yaml = new StringBuilder("all:\n  vars:\n    app_user: svc\n    region: eu-west-1\n    ansible_become: false\n  hosts:\n");
        for (String host : hosts) {
            Files.createDirectories(root(host));
            yaml.append("    ").append(host).append(":\n      root: ").append(root(host)).append('\n');
        }
        inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, yaml);
    }

    Path root(String host) {
        return dir.resolve(host);
    }

    CliRun vaultcfg(Set<String> unreachable, String... args) {
        String[] full = new String[args.length + 4];
        full[0] = "apply";
        full[1] = inventory.toString();
        full[2] = "-p";
        full[3] = PLAYBOOK.toString();
        System.arraycopy(args, 0, full, 4, args.length);
        return CliRun.run(new LocalConnector(unreachable), Map.of("VAULTCFG_VAR_app_secret_key", CANARY), "", full);
    }

    @Test
    void firstApplyWritesEveryFileWithItsModeAndSecondApplyChangesNothing() throws IOException {
        CliRun first = vaultcfg(Set.of());
        assertThat(first.exitCode()).as(first.all()).isEqualTo(0);
        for (String host : hosts) {
            Path env = root(host).resolve("etc/app/app.env");
            assertThat(Files.readString(env)).contains("APP_SECRET_KEY=" + CANARY).contains("APP_USER=svc");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root(host).resolve("etc/app/settings.conf"))))
                    .isEqualTo("rw-r--r--");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root(host).resolve("etc/app"))))
                    .isEqualTo("rwxr-x---");
            assertThat(Files.readAllLines(root(host).resolve("restarts.log"))).containsExactly("restarted");
            assertThat(root(host).resolve("flagged")).doesNotExist();
        }
        assertThat(first.stdout()).contains("node-1 : ok=0 changed=4");

        CliRun second = vaultcfg(Set.of());
        assertThat(second.exitCode()).isEqualTo(0);
        for (String host : hosts) {
            assertThat(second.stdout()).contains(host + " : ok=3 changed=0 unreachable=0 failed=0");
            assertThat(Files.readAllLines(root(host).resolve("restarts.log"))).containsExactly("restarted");
        }
        assertThat(first.all() + second.all()).doesNotContain(CANARY);
    }

    @Test
    void checkOnAFreshTargetReportsChangesExitsTwoAndTouchesNothing() throws IOException {
        CliRun check = vaultcfg(Set.of(), "--check");
        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        assertThat(check.stdout()).contains("changed=4").contains("Changes pending");
        for (String host : hosts) {
            try (var files = Files.list(root(host))) {
                assertThat(files).isEmpty();
            }
        }
    }

    @Test
    void diffShowsTheChangeWithTheSecretRedacted() throws IOException {
        assertThat(vaultcfg(Set.of()).exitCode()).isEqualTo(0);
        Path env = root("node-2").resolve("etc/app/app.env");
        Files.writeString(env, Files.readString(env).replace("APP_USER=svc", "APP_USER=intruder")
                .replace(CANARY, "an-old-secret-value-9"));
        Path report = dir.resolve("report.json");

        CliRun diff = vaultcfg(Set.of(), "--check", "--diff", "--report", report.toString());

        assertThat(diff.exitCode()).isEqualTo(2);
        assertThat(diff.stdout())
                .contains("-APP_USER=intruder", "+APP_USER=svc", "-APP_SECRET_KEY=<redacted>", "+APP_SECRET_KEY=<redacted>")
                .doesNotContain(CANARY, "an-old-secret-value-9");
        assertThat(Files.readString(report)).contains("\"exit_code\" : 2").doesNotContain(CANARY, "an-old-secret-value-9");
    }

    @Test
    void anUnreachableHostIsReportedWhileTheOthersConverge() throws IOException {
        CliRun run = vaultcfg(Set.of("node-3"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).contains("node-3 | UNREACHABLE").contains("node-3 : ok=0 changed=0 unreachable=1");
        assertThat(root("node-1").resolve("etc/app/app.env")).exists();
        assertThat(root("node-3").resolve("etc/app")).doesNotExist();
    }
}

package io.vaultcfg.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.LocalConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service that fails to start (restart step) or never answers (status step): the failure message
 * carries its last lines as {@code systemctl status} shows them, redacted, read in the same script.
 */
class ServiceLogOnFailureTest {
    static final String CANARY = "canary-SECRET-0b9d2c41e7";
    static final Path PLAYBOOK = Path.of("src/test/resources/servicelog/playbook.yml");

    @TempDir
    Path dir;
    Path bin;
    Path inventory;

    @BeforeEach
    void fakeHost() throws IOException {
        bin = Files.createDirectories(dir.resolve("bin"));
        // 26 lines with the status header; the secret is among the last 20, lines 1-5 are older than what is shown
        String serviceOutput = IntStream.rangeClosed(1, 25)
                .mapToObj(i -> i == 24 ? "Error parsing /etc/app/app.hcl line 7: token " + CANARY + " rejected" : "service line " + i)
                .collect(Collectors.joining("\n"));
        executable("systemctl", "#!/bin/sh\n"
                + "echo \"$*\" >> " + dir.resolve("calls.log") + "\n"
                + "case \"$1\" in\n"
                + "  restart) echo 'Job for app.service failed because the control process exited with error code.' >&2; exit 1 ;;\n"
                + "  status) echo '* app.service - failed'; cat <<'OUT'\n" + serviceOutput + "\nOUT\n  exit 3 ;;\n"
                + "esac\n");
        executable("vault", "#!/bin/sh\necho 'Error checking seal status: dial tcp 127.0.0.1:9: connect: connection refused' >&2\nexit 2\n");
        inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, "all:\n  vars:\n    ansible_become: false\n    fake_vault: " + bin.resolve("vault") + "\n"
                + "  hosts:\n    node-1:\n");
    }

    private void executable(String name, String content) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    CliRun vaultcfg(String... extra) {
        String[] args = new String[] {"apply", inventory.toString(), "-p", PLAYBOOK.toString(), "--vars-stdin"};
        String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(extra)).toArray(String[]::new);
        LocalConnector connector = new LocalConnector(Set.of(), Map.of("PATH", bin + ":/usr/bin:/bin"));
        return CliRun.run(connector, Map.of(), "app_token=" + CANARY + "\n", full);
    }

    @Test
    void aFailedRestartReportsTheServicesLastTwentyLinesRedacted() throws IOException {
        CliRun run = vaultcfg("-e", "restart=true");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).contains("node-1 | failed ", "restart app: exit code 1: Job for app.service failed",
                "last lines of app: service line 6 | service line 7",
                "Error parsing /etc/app/app.hcl line 7: token <redacted> rejected | service line 25");
        assertThat(run.stdout()).doesNotContain("service line 5 |");
        assertThat(run.all()).doesNotContain(CANARY);
        assertThat(Files.readAllLines(dir.resolve("calls.log"))).containsExactly("restart -- app", "status --no-pager --lines=20 -- app");
    }

    @Test
    void aNodeThatNeverAnswersReportsTheServicesLastLinesRedacted() {
        CliRun run = vaultcfg();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).contains("node-1 | failed ", "app is up: no status after 0 s: Error checking seal status",
                "connection refused; last lines of app: service line 6 | service line 7", "token <redacted> rejected | service line 25");
        assertThat(run.all()).doesNotContain(CANARY);
    }
}

package io.vaultcfg.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.ShortDeadlineConnector;
import io.vaultcfg.testing.SshHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run over real SSH where one host hangs while its state is read and another while changes are applied:
 * both are reported with the deadline they missed, the third host converges, and the run ends with exit 1.
 * The engine's deadlines (minutes) are cut to a few seconds by the connector, which records what was asked.
 */
class HungHostTest {
    static final Duration CUT = Duration.ofSeconds(4);

    @TempDir
    Path dir;
    SshHosts hosts;
    Path inventory;
    Path playbook;

    @BeforeEach
    void startHosts() throws IOException {
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        Path systemctl = bin.resolve("systemctl");
        // every unit is active, except on a host told to hang
        Files.writeString(systemctl, "#!/bin/sh\n[ -n \"$HANG_SYSTEMCTL\" ] && exec sleep 600\nexit 0\n");
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        AtomicInteger index = new AtomicInteger();
        hosts = SshHosts.start(dir.resolve("ssh"), 3, options -> {
            options = options.withPathPrefix(bin);
            return index.getAndIncrement() == 1 ? options.withEnvironment("HANG_SYSTEMCTL", "1") : options;
        });
        StringBuilder yaml = new StringBuilder("all:\n  vars:\n    ansible_become: false\n    settle: 0\n")
                .append("    ansible_user: ").append(System.getProperty("user.name")).append('\n')
                .append("    ansible_ssh_private_key_file: ").append(hosts.clientKey().privateKey()).append('\n')
                .append("    vaultcfg_known_hosts_file: ").append(hosts.knownHosts()).append('\n')
                .append("  hosts:\n");
        for (int i = 0; i < hosts.size(); i++) {
            yaml.append("    ").append(SshHosts.name(i)).append(":\n")
                    .append("      ansible_host: 127.0.0.1\n")
                    .append("      ansible_port: ").append(hosts.host(i).port()).append('\n')
                    .append("      root: ").append(root(i)).append('\n')
                    .append(i == 2 ? "      settle: 600\n" : "");
        }
        inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, yaml);
        playbook = dir.resolve("playbook.yml");
        Files.writeString(playbook, """
                - name: Deadlines
                  hosts: all
                  tasks:
                    - name: config directory
                      file:
                        path: "{{ root }}/etc/app"
                        state: directory
                        mode: "0750"
                    - name: service running
                      systemd:
                        name: app
                        state: started
                    - name: settle
                      command:
                        argv: [sleep, "{{ settle }}"]
                """);
    }

    @AfterEach
    void stopHosts() {
        hosts.close();
    }

    Path root(int i) {
        return dir.resolve("roots").resolve(SshHosts.name(i));
    }

    @Test
    void hungHostsAreReportedWithTheirDeadlineAndTheOthersConverge() {
        ShortDeadlineConnector connector = new ShortDeadlineConnector(new SshjConnector(), CUT);

        long start = System.nanoTime();
        CliRun run = CliRun.run(connector, "apply", inventory.toString(), "-p", playbook.toString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(took).isLessThan(CUT.multipliedBy(2).plusSeconds(15));
        assertThat(root(0).resolve("etc/app")).isDirectory();
        assertThat(run.stdout()).containsPattern("vault-00 *: ok=\\d+ changed=2 unreachable=0 failed=0");
        // facts: 60 s for the files plus 10 s each for systemctl is-active and the trust check's user query
        assertThat(run.stdout()).contains("vault-01").contains("no answer within 80 s while reading the host's state");
        assertThat(root(1).resolve("etc/app")).doesNotExist();
        // apply: 60 s for the directory plus 60 s for the command
        assertThat(run.stdout()).contains("no answer within 120 s while applying changes")
                .contains("the host may be partly changed (every file is written atomically, so a re-run converges)");
        assertThat(run.stdout()).containsPattern("vault-01 *: .*failed=1").containsPattern("vault-02 *: .*failed=1");
        assertThat(connector.deadlinesAsked("vault-00")).containsExactly(Duration.ofSeconds(80), Duration.ofSeconds(120));
        assertThat(connector.deadlinesAsked("vault-02")).containsExactly(Duration.ofSeconds(80), Duration.ofSeconds(120));
    }
}

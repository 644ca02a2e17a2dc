package io.vaultcfg.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code vaultcfg apply} reaching the fleet's real OpenSSH hosts the ways admins set SSH up: a key
 * only ssh-agent holds, a passphrase-protected key, host aliases with a ProxyJump bastion or a ProxyCommand
 * (OpenSSH's own {@code ssh -W} through another fleet host) only in an ssh config file, and a user
 * certificate signed by a CA the hosts' sshd trusts. Each login is proven on the host: the playbook has
 * root write {@code $SUDO_USER} (the SSH session's user) into a file private to that host. Each way has
 * its failure too. Fleet host 1 is the bastion; hosts 2 and 3 are the targets.
 */
class FleetSshSourcesTest {
    static final String PROOF = "/etc/vault.d/ssh-login";

    @TempDir
    Path dir;
    Fleet fleet;
    Process agent;
    Path agentSocket;
    Path emptySshDir;

    @BeforeEach
    void start() throws IOException {
        Fleet.assumeAvailable();
        fleet = Fleet.start(FleetOptions.of(3).withoutVault());
        emptySshDir = Files.createDirectories(dir.resolve("empty-ssh"));
        Files.writeString(dir.resolve("site.yml"), String.join("\n",
                "- name: reached over ssh",
                "  hosts: all",
                "  become: true",
                "  tasks:",
                "    - name: record the SSH session's user",
                "      command:",
                "        argv: [sh, -c, 'echo \"$SUDO_USER via {{ via }}\" > " + PROOF + "']",
                ""));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (agent != null) {
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    /** An inventory of fleet hosts 2 and 3: {@code perHost} gives each host's lines, {@code common} the group's. */
    Path inventory(List<String> names, List<String> perHost, String... common) throws IOException {
        StringBuilder yaml = new StringBuilder("all:\n  vars:\n");
        for (String line : common) {
            yaml.append("    ").append(line).append('\n');
        }
        yaml.append("  hosts:\n");
        for (int i = 0; i < names.size(); i++) {
            yaml.append("    ").append(names.get(i)).append(":\n");
            if (!perHost.get(i).isEmpty()) {
                yaml.append("      ").append(perHost.get(i)).append('\n');
            }
        }
        Path inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, yaml);
        return inventory;
    }

    Path directInventory(String... common) throws IOException {
        List<String> extra = new java.util.ArrayList<>(List.of("ansible_user: " + Fleet.LOGIN_USER));
        extra.addAll(List.of(common));
        return inventory(List.of(fleet.host(1).name(), fleet.host(2).name()),
                List.of("ansible_host: " + fleet.host(1).address(), "ansible_host: " + fleet.host(2).address()),
                extra.toArray(String[]::new));
    }

    CliRun apply(Path inventory, String via, Map<String, String> connectorEnvironment) {
        return CliRun.run(new SshjConnector(emptySshDir, connectorEnvironment), Map.of(), "",
                "apply", inventory.toString(), "-p", dir.resolve("site.yml").toString(), "-e", "via=" + via, "--timeout", "5");
    }

    void assertReached(CliRun run, String via) throws IOException {
        assertThat(run.exitCode()).as(run.all()).isZero();
        for (FleetHost host : List.of(fleet.host(1), fleet.host(2))) {
            assertThat(Files.readString(host.path(PROOF))).isEqualTo(Fleet.LOGIN_USER + " via " + via + "\n");
        }
        assertThat(fleet.host(0).path(PROOF)).as("the bastion is only passed through").doesNotExist();
    }

    void assertNothingReached(CliRun run) {
        assertThat(run.exitCode()).isEqualTo(1);
        for (FleetHost host : fleet.hosts()) {
            assertThat(host.path(PROOF)).doesNotExist();
        }
    }

    ClientKey key(String name, String passphrase) throws IOException {
        Path file = dir.resolve("keys").resolve(name);
        Files.createDirectories(file.getParent());
        Shell.check(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", name, "-f", file.toString()));
        return new ClientKey(file, Files.readString(Path.of(file + ".pub")).trim());
    }

    record ClientKey(Path file, String publicLine) {
        Path publicFile() {
            return Path.of(file + ".pub");
        }
    }

    /** Only {@code key} may log in: the fleet's own client key is no longer authorized. */
    void authorizeOnly(ClientKey key) throws IOException {
        Files.writeString(fleet.authorizedKeys(), key.publicLine() + "\n");
    }

    void startAgentWith(ClientKey key) throws Exception {
        agentSocket = dir.resolve("agent.sock");
        agent = new ProcessBuilder("ssh-agent", "-D", "-a", agentSocket.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(agentSocket));
        ProcessBuilder add = new ProcessBuilder("ssh-add", key.file().toString()).redirectErrorStream(true);
        add.environment().put("SSH_AUTH_SOCK", agentSocket.toString());
        assertThat(add.start().waitFor()).isZero();
        Files.delete(key.file());
    }

    @Test
    void aKeyOnlySshAgentHoldsLogsInAndAGoneAgentIsNamed() throws Exception {
        ClientKey key = key("agent_only", "");
        authorizeOnly(key);
        startAgentWith(key);
        Path inventory = directInventory("ansible_ssh_common_args: \"-F none -o UserKnownHostsFile=" + fleet.knownHosts() + "\"");

        assertReached(apply(inventory, "agent", Map.of("SSH_AUTH_SOCK", agentSocket.toString())), "agent");

        agent.destroy();
        agent.waitFor(10, TimeUnit.SECONDS);
        for (FleetHost host : fleet.hosts()) {
            Files.deleteIfExists(host.path(PROOF));
        }
        CliRun gone = apply(inventory, "agent", Map.of("SSH_AUTH_SOCK", agentSocket.toString()));
        assertNothingReached(gone);
        assertThat(gone.stdout()).contains("cannot reach ssh-agent at " + agentSocket)
                .containsPattern(fleet.host(1).name() + " +: ok=0 changed=0 unreachable=1");
    }

    @Test
    void aPassphraseKeyOpensWithTheDocumentedVariableAndAWrongOneStopsBeforeAnyLogin() throws Exception {
        ClientKey key = key("with_passphrase", "correct horse battery");
        authorizeOnly(key);
        Path inventory = directInventory("ansible_ssh_private_key_file: " + key.file(),
                "ansible_ssh_common_args: \"-F none -o UserKnownHostsFile=" + fleet.knownHosts() + "\"");

        CliRun wrong = apply(inventory, "passphrase", Map.of("VAULTCFG_SSH_KEY_PASSPHRASE", "wrong horse"));
        assertNothingReached(wrong);
        // the key could not be opened, so no SSH login was even tried: not an authentication failure
        assertThat(wrong.stdout()).contains("cannot decrypt private key file " + key.file(),
                "the passphrase in VAULTCFG_SSH_KEY_PASSPHRASE is wrong").doesNotContain("authentication failed")
                .doesNotContain("wrong horse");

        CliRun right = apply(inventory, "passphrase", Map.of("VAULTCFG_SSH_KEY_PASSPHRASE", "correct horse battery"));
        assertReached(right, "passphrase");
        assertThat(right.all()).doesNotContain("correct horse battery");
    }

    /** db-2 and db-3: names only the ssh config knows, with the fleet's key, user and known_hosts. */
    String configFor(String proxyLine) {
        return String.join("\n",
                "Host bastion",
                "  HostName " + fleet.host(0).address(),
                "Host db-2",
                "  HostName " + fleet.host(1).address(),
                "Host db-3",
                "  HostName " + fleet.host(2).address(),
                "Host db-*",
                "  " + proxyLine,
                "Host *",
                "  User " + Fleet.LOGIN_USER,
                "  IdentityFile " + fleet.privateKey(),
                "  IdentitiesOnly yes",
                "  UserKnownHostsFile " + fleet.knownHosts(),
                "");
    }

    Path aliasInventory(String config) throws IOException {
        Path file = dir.resolve("ssh_config");
        Files.writeString(file, config);
        return inventory(List.of("db-2", "db-3"), List.of("", ""), "vaultcfg_ssh_config_file: " + file);
    }

    @Test
    void aliasesAndTheirProxyJumpBastionOnlyInAnSshConfigReachTheHostsThroughTheBastion() throws Exception {
        Path inventory = aliasInventory(configFor("ProxyJump bastion"));

        assertReached(apply(inventory, "proxyjump", Map.of()), "proxyjump");

        // the bastion down: the targets, whose sshd still runs, cannot be reached, and the bastion is named
        for (FleetHost host : fleet.hosts()) {
            Files.deleteIfExists(host.path(PROOF));
        }
        fleet.host(0).stop();
        CliRun bastionDown = apply(inventory, "proxyjump", Map.of());
        assertNothingReached(bastionDown);
        assertThat(bastionDown.stdout()).contains("bastion " + fleet.host(0).address() + " of db-2")
                .containsPattern("db-3 +: ok=0 changed=0 unreachable=1");
    }

    @Test
    void aProxyCommandOnlyInAnSshConfigWithTheKeyOnlyInSshAgentCarriesTheSessions() throws Exception {
        // the acceptance case: key only in ssh-agent, aliases and bastion only in the ssh config, bastion reached by ProxyCommand
        ClientKey key = key("agent_only", "");
        authorizeOnly(key);
        startAgentWith(key);
        Path log = dir.resolve("proxied.log");
        String proxy = "ProxyCommand sh -c 'echo %n %h:%p >> " + log + "; exec ssh -F none -o BatchMode=yes"
                + " -o IdentityAgent=" + agentSocket + " -o UserKnownHostsFile=" + fleet.knownHosts()
                + " -W %h:%p " + Fleet.LOGIN_USER + "@" + fleet.host(0).address() + "'";
        Files.writeString(dir.resolve("ssh_config"), configFor(proxy).replace("  IdentityFile " + fleet.privateKey() + "\n", "")
                .replace("  IdentitiesOnly yes\n", ""));
        Path inventory = inventory(List.of("db-2", "db-3"), List.of("", ""),
                "vaultcfg_ssh_config_file: " + dir.resolve("ssh_config"));

        assertReached(apply(inventory, "proxycommand", Map.of("SSH_AUTH_SOCK", agentSocket.toString())), "proxycommand");
        assertThat(Files.readAllLines(log)).containsExactlyInAnyOrder("db-2 " + fleet.host(1).address() + ":22",
                "db-3 " + fleet.host(2).address() + ":22");

        for (FleetHost host : fleet.hosts()) {
            Files.deleteIfExists(host.path(PROOF));
        }
        fleet.host(0).stop();
        CliRun bastionDown = apply(inventory, "proxycommand", Map.of("SSH_AUTH_SOCK", agentSocket.toString()));
        assertNothingReached(bastionDown);
        assertThat(bastionDown.stdout())
                .contains("through the ProxyCommand of db-2 (" + dir.resolve("ssh_config") + ":8)", "exited with status 255",
                        "Connection refused")
                .containsPattern("db-3 +: ok=0 changed=0 unreachable=1");
    }

    @Test
    void aUserCertificateOfTheTrustedCaLogsInAndOneOfAnotherCaIsRefused() throws Exception {
        ClientKey ca = key("user_ca", "");
        Files.writeString(fleet.trustedUserCaKeys(), ca.publicLine() + "\n");
        ClientKey key = key("certified", "");
        // no plain key may log in: only a certificate can
        Files.writeString(fleet.authorizedKeys(), "");
        ClientKey rogueCa = key("rogue_ca", "");
        Shell.check(List.of("ssh-keygen", "-q", "-s", rogueCa.file().toString(), "-I", "rogue", "-n", Fleet.LOGIN_USER,
                key.publicFile().toString()));
        Path rogue = Files.move(Path.of(key.file() + "-cert.pub"), dir.resolve("rogue-cert.pub"));
        Shell.check(List.of("ssh-keygen", "-q", "-s", ca.file().toString(), "-I", "fleet-admin", "-n", Fleet.LOGIN_USER,
                key.publicFile().toString()));
        Path issued = Files.move(Path.of(key.file() + "-cert.pub"), dir.resolve("issued-cert.pub"));

        CliRun refused = apply(directInventory("ansible_ssh_private_key_file: " + key.file(),
                "ansible_ssh_common_args: \"-F none -o CertificateFile=" + rogue + " -o UserKnownHostsFile=" + fleet.knownHosts() + "\""),
                "certificate", Map.of());
        assertNothingReached(refused);
        assertThat(refused.stdout()).contains("authentication failed for user '" + Fleet.LOGIN_USER + "'", "certificate " + rogue);

        CliRun certified = apply(directInventory("ansible_ssh_private_key_file: " + key.file(),
                "ansible_ssh_common_args: \"-F none -o CertificateFile=" + issued + " -o UserKnownHostsFile=" + fleet.knownHosts() + "\""),
                "certificate", Map.of());
        assertReached(certified, "certificate");
    }
}

package io.vaultcfg.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcfg.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryTest {
    @TempDir
    Path dir;

    Inventory load(String yaml) throws IOException {
        Path file = dir.resolve("prod.yml");
        Files.writeString(file, yaml);
        return InventoryLoader.load(file);
    }

    Host host(Inventory inventory, String name) {
        return inventory.hosts().stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
    }

    static final String REAL_WORLD = """
            # an inventory as Ansible users write it
            all:
              vars:
                ansible_user: deploy
                level: all
                tier: all
              children:
                datacenters:
                  vars:
                    level: parent
                  children:
                    dc1:
                      vars:
                        level: child
                        region: eu
                      hosts:
                        vault-[01:03]:
                    dc2:
                      vars:
                        region: us
                        tier: dc2
                      hosts:
                        vault-04:
                          level: host
                          ansible_host: 10.0.0.4
                          ansible_port: 2222
                vault:
                  children:
                    dc1:
                    dc2:
                  vars:
                    tier: vault
              hosts:
                bastion:
            """;

    @Test
    void anAnsibleInventoryWorksUnchangedWithRangesAndPrecedence() throws IOException {
        Inventory inventory = load(REAL_WORLD);

        assertThat(inventory.hosts()).extracting(Host::name).containsExactly("bastion", "vault-01", "vault-02", "vault-03", "vault-04");
        assertThat(host(inventory, "vault-02").vars()).containsEntry("level", "child").containsEntry("region", "eu")
                .containsEntry("ansible_user", "deploy");
        assertThat(host(inventory, "vault-04").vars()).containsEntry("level", "host").containsEntry("ansible_port", 2222L);
        // dc2 (depth 2) beats vault (depth 1), which beats all
        assertThat(host(inventory, "vault-04").vars()).containsEntry("tier", "dc2");
        assertThat(host(inventory, "vault-01").vars()).containsEntry("tier", "vault");
        assertThat(inventory.magicVariables(host(inventory, "vault-01")).get("group_names"))
                .isEqualTo(List.of("datacenters", "dc1", "vault"));
        assertThat(inventory.magicVariables(host(inventory, "bastion")).get("group_names")).isEqualTo(List.of());
    }

    @Test
    void sameDepthGroupsMergeAlphabeticallyUnlessPriorityIsSet() throws IOException {
        String yaml = "all:\n  children:\n    b_group:\n      vars: {x: b}\n      hosts: {h1: }\n"
                + "    a_group:\n      vars: {x: a}\n      hosts: {h1: }\n";
        assertThat(host(load(yaml), "h1").vars()).containsEntry("x", "b");
        String prioritized = yaml.replace("vars: {x: a}", "vars: {x: a, ansible_group_priority: 10}");
        assertThat(host(load(prioritized), "h1").vars()).containsEntry("x", "a");
    }

    @Test
    void hostPatternsFollowAnsible() throws IOException {
        Inventory inventory = load(REAL_WORLD);
        assertThat(names(inventory.select("all", "t"))).hasSize(5);
        assertThat(names(inventory.select("dc1", "t"))).containsExactly("vault-01", "vault-02", "vault-03");
        assertThat(names(inventory.select("vault-0*", "t"))).hasSize(4);
        assertThat(names(inventory.select("dc1:dc2", "t"))).hasSize(4);
        assertThat(names(inventory.select("dc1,bastion", "t"))).containsExactly("bastion", "vault-01", "vault-02", "vault-03");
        assertThat(names(inventory.select("vault:&dc2", "t"))).containsExactly("vault-04");
        assertThat(names(inventory.select("vault:!vault-02", "t"))).containsExactly("vault-01", "vault-03", "vault-04");
        assertThat(names(inventory.select("~vault-0[13]", "t"))).containsExactly("vault-01", "vault-03");
        assertThatThrownBy(() -> inventory.select("databases", "play.yml:2"))
                .hasMessageContaining("play.yml:2: field 'hosts': pattern 'databases' matches no host").hasMessageContaining("dc1");
    }

    @Test
    void rangesWithLettersAndSteps() {
        assertThat(HostRange.expand("db-[a:c]")).containsExactly("db-a", "db-b", "db-c");
        assertThat(HostRange.expand("web[1:7:3]")).containsExactly("web1", "web4", "web7");
        assertThat(HostRange.expand("r[1:2]-n[01:02]")).containsExactly("r1-n01", "r1-n02", "r2-n01", "r2-n02");
    }

    @Test
    void connectionVariablesIncludingProxyJumpForms() {
        ConnectionVars viaCommonArgs = ConnectionVars.parse("h", Map.of("ansible_host", "10.1.1.1", "ansible_port", "2200",
                "ansible_ssh_common_args", "-o ProxyJump=ops@bastion.example:2022 -o UserKnownHostsFile=/etc/vaultcfg/known_hosts",
                "ansible_become", "yes", "ansible_become_user", "vault"), v -> "inv:1");
        assertThat(viaCommonArgs.address()).isEqualTo("10.1.1.1");
        assertThat(viaCommonArgs.port()).isEqualTo(2200);
        assertThat(viaCommonArgs.jumpHosts()).contains(new Bastion("ops", "bastion.example", 2022));
        assertThat(viaCommonArgs.knownHostsFile()).isEqualTo(Path.of("/etc/vaultcfg/known_hosts"));
        assertThat(viaCommonArgs.become()).isTrue();
        assertThat(viaCommonArgs.becomeUser()).isEqualTo("vault");

        assertThat(ConnectionVars.parse("h", Map.of("ansible_ssh_common_args", "-J jump"), v -> "inv:1").jumpHosts())
                .contains(new Bastion(null, "jump", 22));
        assertThat(ConnectionVars.parse("h", Map.of("vaultcfg_jump_host", "me@[::1]:2201"), v -> "inv:1").jumpHosts())
                .contains(new Bastion("me", "::1", 2201));
        ConnectionVars defaults = ConnectionVars.parse("vault-01", Map.of(), v -> "inv:1");
        assertThat(defaults.address()).isEqualTo("vault-01");
        assertThat(defaults.port()).isEqualTo(22);
        assertThat(defaults.becomeSet()).isFalse();
    }

    // ---- bad input: each names file, line and field ----

    @Test
    void portAsText() throws IOException {
        Inventory inventory = load("all:\n  hosts:\n    h1:\n      ansible_port: twenty-two\n");
        Host h1 = host(inventory, "h1");
        assertThatThrownBy(() -> ConnectionVars.parse("h1", h1.vars(), v -> inventory.locationOf("h1", v)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("prod.yml:4: field 'ansible_port'");
    }

    @Test
    void duplicateHostWithConflictingVars() {
        assertThatThrownBy(() -> load("all:\n  children:\n    a:\n      hosts:\n        h1:\n          region: eu\n"
                + "    b:\n      hosts:\n        h1:\n          region: us\n"))
                .hasMessageContaining("prod.yml:10: field 'region'").hasMessageContaining("prod.yml:6");
    }

    @Test
    void duplicateHostWithTheSameVarsIsFine() throws IOException {
        Inventory inventory = load("all:\n  children:\n    a:\n      hosts:\n        h1:\n          region: eu\n"
                + "    b:\n      hosts:\n        h1:\n          region: eu\n");
        assertThat(host(inventory, "h1").groups()).contains("a", "b");
    }

    @Test
    void ansibleVaultValues() {
        assertThatThrownBy(() -> load("all:\n  vars:\n    secret: !vault |\n      $ANSIBLE_VAULT;1.1;AES256\n      6638\n  hosts: {h1: }\n"))
                .hasMessageContaining("prod.yml:3: field 'secret'").hasMessageContaining("Ansible Vault");
    }

    @Test
    void jinjaExpressions() {
        assertThatThrownBy(() -> load("all:\n  vars:\n    dir: \"{{ base }}/x\"\n  hosts: {h1: }\n"))
                .hasMessageContaining("prod.yml:3: field 'dir'").hasMessageContaining("Jinja");
    }

    @Test
    void unknownGroupKeySuggestsTheRightOne() {
        assertThatThrownBy(() -> load("all:\n  hosts: {h1: }\n  childern:\n    a: {}\n"))
                .hasMessageContaining("prod.yml:3: field 'childern'").hasMessageContaining("did you mean 'children'?");
    }

    @Test
    void iniInventory() throws IOException {
        Path file = dir.resolve("hosts");
        Files.writeString(file, "# old style\n[vault]\nvault-01 ansible_host=10.0.0.1\n");
        assertThatThrownBy(() -> InventoryLoader.load(file)).hasMessageContaining("hosts:2").hasMessageContaining("INI");
    }

    @Test
    void dynamicInventoryScript() throws IOException {
        Path file = dir.resolve("ec2.py");
        Files.writeString(file, "#!/usr/bin/env python3\nprint('{}')\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> InventoryLoader.load(file)).hasMessageContaining("ec2.py:1").hasMessageContaining("dynamic inventory");
    }

    @Test
    void missingAndEmptyFiles() throws IOException {
        assertThatThrownBy(() -> InventoryLoader.load(dir.resolve("nope.yml"))).hasMessageContaining("nope.yml: inventory file not found");
        assertThatThrownBy(() -> load("")).hasMessageContaining("prod.yml: the inventory is empty");
    }

    @Test
    void passwordsAndStrictHostKeyCheckingOffAreRefused() {
        assertThatThrownBy(() -> ConnectionVars.parse("h", Map.of("ansible_password", "x"), v -> "prod.yml:7"))
                .hasMessageContaining("prod.yml:7: field 'ansible_password'");
        assertThatThrownBy(() -> ConnectionVars.parse("h", Map.of("ansible_ssh_common_args", "-o StrictHostKeyChecking=no"),
                v -> "prod.yml:8")).hasMessageContaining("prod.yml:8").hasMessageContaining("--ssh-accept-new");
        assertThatThrownBy(() -> ConnectionVars.parse("h", Map.of("ansible_ssh_common_args", "-A"),
                v -> "prod.yml:9")).hasMessageContaining("prod.yml:9").hasMessageContaining("unsupported ssh argument '-A'");
    }

    static List<String> names(List<Host> hosts) {
        return hosts.stream().map(Host::name).toList();
    }
}

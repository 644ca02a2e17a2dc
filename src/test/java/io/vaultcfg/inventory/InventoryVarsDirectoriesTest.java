package io.vaultcfg.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcfg.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** group_vars/ and host_vars/ beside the inventory and the playbook, in Ansible's precedence. */
class InventoryVarsDirectoriesTest {
    @TempDir
    Path dir;

    static final String INVENTORY = """
            all:
              vars:
                level: inventory-all
              children:
                vault:
                  vars:
                    level: inventory-vault
                    group_only: inventory-vault
                  children:
                    dc1:
                      vars:
                        level: inventory-dc1
                      hosts:
                        vault-01:
                          level: inventory-host
                        vault-02:
            """;

    Path write(String relative, String text) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    Map<String, Object> vars(Inventory inventory, String host) {
        return inventory.hosts().stream().filter(h -> h.name().equals(host)).findFirst().orElseThrow().vars();
    }

    @Test
    void eachSourceOverridesTheOneBelowIt() throws IOException {
        Path inventory = write("inventories/prod.yml", INVENTORY);
        write("inventories/group_vars/all.yml", "level: inventory-group_vars-all\nall_file: yes\n");
        write("inventories/group_vars/vault.yml", "level: inventory-group_vars-vault\n");
        write("inventories/group_vars/dc1/main.yml", "level: inventory-group_vars-dc1\nfrom_dir: true\n");
        write("inventories/host_vars/vault-01.yaml", "level: inventory-host_vars\n");
        write("playbooks/group_vars/all", "level: playbook-group_vars-all\n");
        write("playbooks/group_vars/dc1.json", "{\"dc1_playbook\": 1}\n");
        write("playbooks/host_vars/vault-02.yml", "level: playbook-host_vars\n");

        Inventory withoutPlaybook = InventoryLoader.load(inventory);
        assertThat(vars(withoutPlaybook, "vault-01")).containsEntry("level", "inventory-host_vars")
                .containsEntry("all_file", true).containsEntry("from_dir", true).containsEntry("group_only", "inventory-vault");
        assertThat(vars(withoutPlaybook, "vault-02")).containsEntry("level", "inventory-group_vars-dc1")
                .doesNotContainKey("dc1_playbook");

        Inventory withPlaybook = InventoryLoader.load(inventory, dir.resolve("playbooks"));
        assertThat(vars(withPlaybook, "vault-02")).containsEntry("level", "playbook-host_vars").containsEntry("dc1_playbook", 1L);
        assertThat(vars(withPlaybook, "vault-01")).containsEntry("level", "inventory-host_vars");
        assertThat(withPlaybook.locationOf("vault-01", "level")).endsWith("host_vars/vault-01.yaml:1");
        assertThat(withPlaybook.locationOf("vault-02", "from_dir")).endsWith("group_vars/dc1/main.yml:2");
    }

    @Test
    void groupVarsAllIsBelowTheInventorysOtherGroupsOnlyFromTheFiles() throws IOException {
        Path inventory = write("prod.yml", INVENTORY);
        write("group_vars/all.yml", "level: group_vars-all\n");
        // Ansible: inventory file vars (all and groups) < group_vars/all: the file wins over the inventory's dc1
        assertThat(vars(InventoryLoader.load(inventory), "vault-02")).containsEntry("level", "group_vars-all");
        write("group_vars/vault.yml", "level: group_vars-vault\n");
        write("playbook/group_vars/all.yml", "level: playbook-all\n");
        // ... and group_vars/<group> of the inventory wins over the playbook's group_vars/all
        assertThat(vars(InventoryLoader.load(inventory, dir.resolve("playbook")), "vault-02")).containsEntry("level", "group_vars-vault");
    }

    @Test
    void onlyTheFirstOfNameAndItsExtensionsIsRead() throws IOException {
        Path inventory = write("prod.yml", INVENTORY);
        write("group_vars/dc1.yml", "picked: yml\n");
        write("group_vars/dc1.yaml", "picked: [broken\n"); // never parsed
        write("group_vars/vault/a.yml", "x: 1\n");
        write("group_vars/vault/notes.md", "x: [not read\n");
        write("group_vars/vault/b~", "x: [backup\n");
        write("group_vars/vault/.c.yml", "x: [hidden\n");
        write("group_vars/vault/sub/c.yml", "x: 3\n");
        write("group_vars/vault/b.yml", "x: 2\n");
        Map<String, Object> vars = vars(InventoryLoader.load(inventory), "vault-01");
        assertThat(vars).containsEntry("picked", "yml").containsEntry("x", 3L); // a.yml, b.yml, sub/c.yml in order
    }

    @Test
    void templatesInAVarsFileAreRefusedWithFileLineAndField() throws IOException {
        Path inventory = write("prod.yml", INVENTORY);
        write("group_vars/dc1.yml", "# region\nok: 1\nvault_addr: \"https://{{ inventory_hostname }}:8200\"\n");
        assertThatThrownBy(() -> InventoryLoader.load(inventory)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("group_vars/dc1.yml:3").hasMessageContaining("vault_addr").hasMessageContaining("Jinja");
    }

    @Test
    void aVarsFileMustBeAMapping() throws IOException {
        Path inventory = write("prod.yml", INVENTORY);
        write("host_vars/vault-01.yml", "\n- a\n- b\n");
        assertThatThrownBy(() -> InventoryLoader.load(inventory)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("host_vars/vault-01.yml:2").hasMessageContaining("expected a mapping");
    }

    @Test
    void vaultEncryptedVarsFilesAreRefusedByName() throws IOException {
        Path inventory = write("prod.yml", INVENTORY);
        write("group_vars/all/vault.yml", "$ANSIBLE_VAULT;1.1;AES256\n6162636465\n");
        assertThatThrownBy(() -> InventoryLoader.load(inventory)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("group_vars/all/vault.yml:1").hasMessageContaining("Ansible Vault encrypted files");
    }

    @Test
    void badYamlInAVarsFileNamesItsLine() throws IOException {
        Path inventory = write("prod.yml", INVENTORY);
        write("group_vars/vault.yml", "a: 1\nb: [unclosed\n");
        assertThatThrownBy(() -> InventoryLoader.load(inventory)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("group_vars/vault.yml:").hasMessageContaining("malformed YAML");
    }

    @Test
    void deeplyNestedVarsDirectoriesAreRefused() throws IOException {
        Path inventory = write("prod.yml", INVENTORY);
        write("group_vars/all/a/b/c/d/e/f/g/h/i/j/deep.yml", "x: 1\n");
        assertThatThrownBy(() -> InventoryLoader.load(inventory)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("nest more than");
    }
}

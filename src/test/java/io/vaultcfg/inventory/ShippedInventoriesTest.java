package io.vaultcfg.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example inventories in the repository load, and select the hosts the built-in playbook targets. */
class ShippedInventoriesTest {
    @Test
    void vaultExample() {
        Inventory inventory = InventoryLoader.load(Path.of("inventories/example.yml"));
        assertThat(inventory.select("vault", "test")).extracting(Host::name)
                .containsExactly("vault-01.dc1.example.com", "vault-02.dc1.example.com", "vault-03.dc1.example.com");
        Host first = inventory.hosts().get(0);
        ConnectionVars connection = ConnectionVars.parse(first.name(), first.vars(), v -> inventory.locationOf(first.name(), v));
        assertThat(connection.jumpHosts()).isNotEmpty();
        assertThat(connection.become()).isTrue();
    }

    @Test
    void openBaoExample() {
        Inventory inventory = InventoryLoader.load(Path.of("inventories/openbao-example.yml"));
        assertThat(inventory.select("vault", "test")).hasSize(3)
                .allSatisfy(host -> assertThat(host.vars()).containsEntry("vault_binary", "/usr/bin/bao"));
    }
}

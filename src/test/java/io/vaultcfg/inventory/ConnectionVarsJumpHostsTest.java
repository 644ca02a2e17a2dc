package io.vaultcfg.inventory;

import io.vaultcfg.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ProxyJump chains and host names that could inject into known_hosts or a shell. */
class ConnectionVarsJumpHostsTest {
    @Test
    void everyHopOfAJumpChainIsKeptInOrder() {
        ConnectionVars viaArgs = ConnectionVars.parse("h", Map.of("ansible_ssh_common_args", "-J ops@b1:2022,b2"), v -> "inv.yml:3");
        ConnectionVars viaOption = ConnectionVars.parse("h", Map.of("ansible_ssh_common_args", "-o ProxyJump=b1,me@[::1]:2201"),
                v -> "inv.yml:3");

        assertThat(viaArgs.jumpHosts()).containsExactly(new Bastion("ops", "b1", 2022), new Bastion(null, "b2", 22));
        assertThat(viaOption.jumpHosts()).containsExactly(new Bastion(null, "b1", 22), new Bastion("me", "::1", 2201));
    }

    @Test
    void proxyJumpNoneMeansDirect() {
        assertThat(ConnectionVars.parse("h", Map.of("ansible_ssh_common_args", "-o ProxyJump=none"), v -> "inv.yml:3").jumpHosts())
                .isEmpty();
    }

    @Test
    void anEmptyHopIsAnError() {
        assertThatThrownBy(() -> ConnectionVars.parse("h", Map.of("vaultcfg_jump_host", "b1,,b2"), v -> "inv.yml:7"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inv.yml:7: field 'vaultcfg_jump_host'");
    }

    @Test
    void hostNamesWithControlCharactersOrShellMetacharactersAreRefused() {
        assertThatThrownBy(() -> ConnectionVars.parse("h", Map.of("ansible_host", "10.0.0.1\n@revoked * ssh-ed25519 AAAA"),
                v -> "inv.yml:" + (v.equals("ansible_host") ? 4 : 1)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inv.yml:4: field 'ansible_host'")
                .hasMessageContaining("control character")
                .hasMessageNotContaining("@revoked");
        assertThatThrownBy(() -> ConnectionVars.parse("h", Map.of("ansible_ssh_common_args", "-J 'b1;touch x'"), v -> "inv.yml:5"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inv.yml:5: field 'ansible_ssh_common_args'")
                .hasMessageContaining("';'");
    }
}

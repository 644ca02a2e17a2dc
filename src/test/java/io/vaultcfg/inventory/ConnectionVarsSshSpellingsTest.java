package io.vaultcfg.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcfg.config.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ansible's older names: ansible_ssh_host, ansible_ssh_port, ansible_ssh_user, ansible_ssh_extra_args. */
class ConnectionVarsSshSpellingsTest {
    static ConnectionVars parse(Map<String, Object> vars) {
        return ConnectionVars.parse("vault-01", vars, name -> "inv.yml:" + name);
    }

    @Test
    void olderSpellingsAreRead() {
        ConnectionVars vars = parse(Map.of("ansible_ssh_host", "10.0.0.7", "ansible_ssh_port", 2207, "ansible_ssh_user", "ops"));
        assertThat(vars.address()).isEqualTo("10.0.0.7");
        assertThat(vars.port()).isEqualTo(2207);
        assertThat(vars.user()).isEqualTo("ops");
    }

    @Test
    void theOlderSpellingWinsWhenBothAreSetAsInAnsible() {
        ConnectionVars vars = parse(Map.of("ansible_host", "10.0.0.1", "ansible_ssh_host", "10.0.0.2",
                "ansible_port", 22, "ansible_ssh_port", "2202", "ansible_user", "deploy", "ansible_ssh_user", "ops"));
        assertThat(vars.address()).isEqualTo("10.0.0.2");
        assertThat(vars.port()).isEqualTo(2202);
        assertThat(vars.user()).isEqualTo("ops");
    }

    @Test
    void errorsNameTheSpellingThatWasUsed() {
        assertThatThrownBy(() -> parse(Map.of("ansible_ssh_port", "ssh"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("inv.yml:ansible_ssh_port").hasMessageContaining("field 'ansible_ssh_port'");
        assertThatThrownBy(() -> parse(Map.of("ansible_ssh_host", "a;b"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("field 'ansible_ssh_host'");
        assertThatThrownBy(() -> parse(Map.of("ansible_ssh_extra_args", "-A"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("inv.yml:ansible_ssh_extra_args").hasMessageContaining("field 'ansible_ssh_extra_args'")
                .hasMessageContaining("-A");
    }

    @Test
    void extraArgsAreReadLikeCommonArgsAfterThem() {
        ConnectionVars extraOnly = parse(Map.of("ansible_ssh_extra_args", "-J ops@bastion:2022 -o UserKnownHostsFile=/tmp/kh"));
        assertThat(extraOnly.jumpHosts()).containsExactly(new Bastion("ops", "bastion", 2022));
        assertThat(extraOnly.knownHostsFile()).isEqualTo(Path.of("/tmp/kh"));
        // ssh puts the common args first, and OpenSSH keeps the first value of an option
        ConnectionVars both = parse(Map.of("ansible_ssh_common_args", "-J first", "ansible_ssh_extra_args", "-J second"));
        assertThat(both.jumpHosts()).containsExactly(new Bastion(null, "first", 22));
    }
}

package io.vaultcfg.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vaultcfg.config.ConfigException;
import io.vaultcfg.module.Modules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Playbooks are read through the same YAML document as inventories: the same bounds hold. */
class PlaybookInputBoundsTest {
    @TempDir
    Path dir;

    Playbook load(String yaml) throws IOException {
        Path file = dir.resolve("site.yml");
        Files.writeString(file, yaml);
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> new PlaybookLoader(Modules.builtin()).load(file));
    }

    AbstractThrowableAssert<?, ? extends Throwable> assertRejected(String yaml) {
        return assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class);
    }

    @Test
    void aliasBombInPlayVars() {
        StringBuilder yaml = new StringBuilder("- hosts: all\n  tasks: []\n  vars:\n    a0: &a0 [x, x, x]\n");
        for (int i = 1; i < 16; i++) {
            String previous = "*a" + (i - 1);
            yaml.append("    a").append(i).append(": &a").append(i).append(" [").append(previous).append(", ")
                    .append(previous).append(", ").append(previous).append("]\n");
        }
        assertRejected(yaml.toString()).hasMessageContaining("site.yml:13: field 'a9'")
                .hasMessageContaining("YAML aliases expand to more than 100,000 values");
    }

    @Test
    void recursiveAliasInTaskArguments() {
        assertRejected("- hosts: all\n  tasks:\n    - command:\n        argv: &argv [echo, *argv]\n")
                .hasMessageContaining("site.yml:4: field 'argv'").hasMessageContaining("alias *argv is used inside its own anchor");
    }

    @Test
    void nonCoreTagsAreRefused() {
        assertRejected("- hosts: all\n  name: !!binary cGxheQ==\n  tasks: []\n")
                .hasMessageContaining("site.yml:2: field 'name'").hasMessageContaining("YAML tag !!binary is not supported");
        assertRejected("- hosts: all\n  vars:\n    engine: !!javax.script.ScriptEngineManager []\n  tasks: []\n")
                .hasMessageContaining("site.yml:3: field 'engine'")
                .hasMessageContaining("YAML tag !!javax.script.ScriptEngineManager is not supported");
        assertRejected("- hosts: all\n  tasks:\n    - file: {path: !foo /tmp/x}\n")
                .hasMessageContaining("site.yml:3: field 'path'").hasMessageContaining("YAML tag !foo is not supported");
    }

    @Test
    void tasksReusedThroughAnchorsStillLoad() throws IOException {
        Playbook playbook = load("""
                - name: first
                  hosts: all
                  vars: &shared
                    data_dir: /opt/vault/data
                    ports: [8200, 8201]
                  tasks:
                    - &mkdir
                      name: data directory
                      file: {path: "{{ data_dir }}", mode: "0750"}
                - name: second
                  hosts: all
                  vars: *shared
                  tasks:
                    - *mkdir
                """);
        assertThat(playbook.plays()).hasSize(2);
        Play second = playbook.plays().get(1);
        assertThat(second.vars()).isEqualTo(Map.of("data_dir", "/opt/vault/data", "ports", java.util.List.of(8200L, 8201L)));
        assertThat(second.tasks()).singleElement().satisfies(task -> {
            assertThat(task.name()).isEqualTo("data directory");
            assertThat(task.module()).isEqualTo("file");
            assertThat(task.args()).containsEntry("path", "{{ data_dir }}");
        });
    }
}

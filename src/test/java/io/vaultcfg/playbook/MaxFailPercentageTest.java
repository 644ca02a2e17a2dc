package io.vaultcfg.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcfg.config.ConfigException;
import io.vaultcfg.module.Modules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A play's max_fail_percentage, read as Ansible's: a percentage, refused with file:line when out of range. */
class MaxFailPercentageTest {
    @TempDir
    Path dir;

    Playbook load(String yaml) throws IOException {
        Path file = dir.resolve("site.yml");
        Files.writeString(file, yaml);
        return new PlaybookLoader(Modules.builtin()).load(file);
    }

    @Test
    void aPlaysMaxFailPercentageIsReadAndAbsentByDefault() throws IOException {
        assertThat(load("- hosts: all\n  serial: 1\n  max_fail_percentage: 30\n  tasks: []\n").plays().get(0).maxFailPercentage())
                .hasValue(30);
        assertThat(load("- hosts: all\n  tasks: []\n").plays().get(0).maxFailPercentage()).isEmpty();
    }

    @Test
    void aPercentageOutOfRangeOrNotANumberIsBadInputNamingFileLineAndField() {
        assertThatThrownBy(() -> load("- hosts: all\n  tasks: []\n  max_fail_percentage: 101\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("site.yml:3").hasMessageContaining("max_fail_percentage");
        assertThatThrownBy(() -> load("- hosts: all\n  tasks: []\n  max_fail_percentage: lots\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("max_fail_percentage");
    }
}

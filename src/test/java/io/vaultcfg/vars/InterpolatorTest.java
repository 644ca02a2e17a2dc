package io.vaultcfg.vars;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolatorTest {
    final Map<String, Object> vars = Map.of("dir", "/etc/vault.d", "file", "vault.env", "path", "{{ dir }}/{{ file }}",
            "ports", List.of(1L, 2L), "retries", 5L);

    @Test
    void replacesReferencesAndKeepsTypesOfWholeReferences() {
        assertThat(Interpolator.resolve("{{ dir }}/{{file}}", vars, "p.yml:3", "dest")).isEqualTo("/etc/vault.d/vault.env");
        assertThat(Interpolator.resolve("{{ ports }}", vars, "p.yml:3", "x")).isEqualTo(List.of(1L, 2L));
        assertThat(Interpolator.resolve("{{ retries }}", vars, "p.yml:3", "x")).isEqualTo(5L);
    }

    @Test
    void resolvesVariablesThatReferToOthers() {
        assertThat(Interpolator.resolve("{{ path }}", vars, "p.yml:3", "dest")).isEqualTo("/etc/vault.d/vault.env");
    }

    @Test
    void undefinedAndFilteredReferencesNameTheField() {
        assertThatThrownBy(() -> Interpolator.resolve("{{ nope }}", vars, "p.yml:3", "dest"))
                .hasMessage("p.yml:3: field 'dest': undefined variable 'nope'");
        assertThatThrownBy(() -> Interpolator.resolve("{{ dir | upper }}", vars, "p.yml:4", "dest"))
                .hasMessageContaining("only plain variable references");
    }
}

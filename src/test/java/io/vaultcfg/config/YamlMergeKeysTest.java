package io.vaultcfg.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Merge keys as PyYAML applies them (Ansible reads YAML with PyYAML). */
class YamlMergeKeysTest {
    static Object read(String yaml) {
        YamlDocument doc = YamlDocument.parse(Path.of("m.yml"), new StringReader(yaml));
        return doc.plain(doc.root(), null);
    }

    @Test
    void explicitKeysWinAndKeepTheMergedKeysPosition() {
        Object value = read("a: &a {x: 1, y: 2, z: 3}\nb:\n  <<: *a\n  w: 0\n  y: explicit\n");
        Map<?, ?> b = (Map<?, ?>) ((Map<?, ?>) value).get("b");
        assertThat(List.<Object>copyOf(b.keySet())).containsExactly("x", "y", "z", "w");
        assertThat(b.get("y")).isEqualTo("explicit");
    }

    @Test
    void inAListTheEarlierMappingWinsAndTheLaterOnesKeysComeFirst() {
        Object value = read("p: &p {k: p, only_p: 1}\nq: &q {k: q, only_q: 1}\nr:\n  <<: [*p, *q]\n");
        Map<?, ?> r = (Map<?, ?>) ((Map<?, ?>) value).get("r");
        assertThat(List.<Object>copyOf(r.keySet())).containsExactly("k", "only_q", "only_p");
        assertThat(r.get("k")).isEqualTo("p");
    }

    @Test
    void mergedMappingsMayThemselvesMerge() {
        Object value = read("base: &base {a: 1}\nmid: &mid\n  <<: *base\n  b: 2\ntop:\n  <<: *mid\n  c: 3\n");
        assertThat(((Map<?, ?>) value).get("top")).isEqualTo(Map.of("a", 1L, "b", 2L, "c", 3L));
        assertThat(((Map<?, ?>) value).get("mid")).isEqualTo(Map.of("a", 1L, "b", 2L));
    }

    @Test
    void anExplicitKeyWrittenTwiceIsStillADuplicate() {
        assertThatThrownBy(() -> read("a: &a {x: 1}\nb:\n  <<: *a\n  y: 1\n  y: 2\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("m.yml:5: field 'y'").hasMessageContaining("duplicate key");
    }

    @Test
    void aQuotedLessLessIsAnOrdinaryKey() {
        assertThat(read("\"<<\": text\n")).isEqualTo(Map.of("<<", "text"));
    }
}

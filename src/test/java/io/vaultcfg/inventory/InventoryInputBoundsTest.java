package io.vaultcfg.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vaultcfg.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that would exhaust memory, recurse forever, loop forever or be read as something else. */
class InventoryInputBoundsTest {
    private static final Duration QUICKLY = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    Inventory load(String yaml) throws IOException {
        Path file = dir.resolve("prod.yml");
        Files.writeString(file, yaml);
        return assertTimeoutPreemptively(QUICKLY, () -> InventoryLoader.load(file));
    }

    AbstractThrowableAssert<?, ? extends Throwable> assertRejected(String yaml) {
        return assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class);
    }

    /** Each level is a list of three aliases of the level before: 3^levels values from a few hundred bytes. */
    static String aliasBomb(String indent, int levels) {
        StringBuilder yaml = new StringBuilder(indent + "a0: &a0 [x, x, x]\n");
        for (int i = 1; i < levels; i++) {
            String previous = "*a" + (i - 1);
            yaml.append(indent).append("a").append(i).append(": &a").append(i)
                    .append(" [").append(previous).append(", ").append(previous).append(", ").append(previous).append("]\n");
        }
        return yaml.toString();
    }

    @Test
    void aliasBombStopsAtTheBudgetNamingTheLine() {
        String yaml = "all:\n  hosts: {h1: }\n  vars:\n" + aliasBomb("    ", 16);
        assertThat(yaml.length()).isLessThan(600);
        // a8 expands to 29,524 values: the aliases of a1..a8 add 44,268, a9's second *a8 passes 100,000 (line 4 + 9)
        assertRejected(yaml).hasMessageContaining("prod.yml:13: field 'a9'")
                .hasMessageContaining("YAML aliases expand to more than 100,000 values");
    }

    @Test
    void aliasInsideItsOwnAnchorIsAnErrorNotAStackOverflow() {
        assertRejected("all:\n  hosts: {h1: }\n  vars:\n    r: &r [*r]\n")
                .hasMessageContaining("prod.yml:4: field 'r'").hasMessageContaining("alias *r is used inside its own anchor");
    }

    @Test
    void groupThatContainsItselfThroughAnAlias() {
        assertRejected("all: &top\n  hosts: {h1: }\n  children:\n    loop: *top\n")
                .hasMessageContaining("prod.yml:4: field 'loop'").hasMessageContaining("inside its own anchor");
    }

    @Test
    void tagsOutsideTheCoreSchemaAreRefused() {
        assertRejected("all:\n  hosts: {h1: }\n  vars:\n    blob: !!binary aGVsbG8=\n")
                .hasMessageContaining("prod.yml:4: field 'blob'").hasMessageContaining("YAML tag !!binary is not supported");
        assertRejected("all:\n  hosts:\n    h1:\n      engine: !!javax.script.ScriptEngineManager "
                + "[!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:9/\"]]]]\n")
                .hasMessageContaining("prod.yml:4: field 'engine'")
                .hasMessageContaining("YAML tag !!javax.script.ScriptEngineManager is not supported");
        assertRejected("all:\n  hosts: {h1: }\n  vars:\n    when: !!timestamp 2024-01-01\n")
                .hasMessageContaining("prod.yml:4: field 'when'").hasMessageContaining("!!timestamp");
        assertRejected("all:\n  hosts: {h1: }\n  vars:\n    odd: !!set {a, b}\n")
                .hasMessageContaining("prod.yml:4: field 'odd'").hasMessageContaining("!!set");
    }

    @Test
    void customTagsAreRefused() {
        assertRejected("all:\n  hosts: {h1: }\n  vars:\n    x: !foo bar\n")
                .hasMessageContaining("prod.yml:4: field 'x'").hasMessageContaining("YAML tag !foo is not supported");
        assertRejected("all:\n  hosts: {h1: }\n  vars:\n    x: !unsafe '{{ y }}'\n")
                .hasMessageContaining("prod.yml:4: field 'x'").hasMessageContaining("YAML tag !unsafe is not supported");
    }

    @Test
    void coreTagsMustFitTheirValue() {
        assertRejected("all:\n  hosts: {h1: }\n  vars:\n    on: !!bool maybe\n")
                .hasMessageContaining("prod.yml:4: field 'on'").hasMessageContaining("does not fit its tag !!bool");
        assertRejected("all:\n  hosts: {h1: }\n  vars:\n    port: !!int twenty\n")
                .hasMessageContaining("prod.yml:4: field 'port'").hasMessageContaining("does not fit its tag !!int");
        assertRejected("all:\n  hosts: {h1: }\n  vars:\n    list: !!map [a]\n")
                .hasMessageContaining("prod.yml:4: field 'list'").hasMessageContaining("!!map");
    }

    @Test
    void explicitCoreTagsAndUntaggedDatesAreRead() throws IOException {
        Inventory inventory = load("all:\n  hosts:\n    h1:\n      ansible_port: !!int \"2222\"\n      mode: !!str 0600\n"
                + "      ratio: !!float 1\n      since: 2024-01-01\n      nothing: !!null\n");
        assertThat(inventory.hosts().get(0).vars()).containsEntry("ansible_port", 2222L).containsEntry("mode", "0600")
                .containsEntry("ratio", 1.0).containsEntry("since", "2024-01-01").containsEntry("nothing", null);
    }

    @Test
    void mergeKeysAreMergedNotReadAsAVariableNamedLessLess() throws IOException {
        Inventory inventory = load("all:\n  hosts:\n    h1: &node\n      ansible_user: deploy\n    h2:\n      <<: *node\n      ansible_port: 2222\n");
        assertThat(inventory.hosts().get(1).vars()).containsExactly(Map.entry("ansible_user", "deploy"), Map.entry("ansible_port", 2222L));
    }

    @Test
    void mergeKeysWithAnythingButMappingsAreRefusedWithTheLine() {
        assertRejected("all:\n  hosts:\n    h1:\n      <<: deploy\n").hasMessageContaining("prod.yml:4: field '<<'")
                .hasMessageContaining("a mapping or a list of mappings");
        assertRejected("all:\n  vars:\n    a: &a [1]\n  hosts:\n    h1:\n      <<: [*a]\n").hasMessageContaining("prod.yml:3: field '<<'");
        assertRejected("all:\n  hosts:\n    h1:\n      x: <<\n").hasMessageContaining("prod.yml:4: field 'x'")
                .hasMessageContaining("merge key (<<) can only be the key");
    }

    @Test
    void mergeKeysCannotEscapeTheAliasBudget() {
        String merged = "all:\n  hosts: {h1: }\n  vars:\n    base: &b {k0: 0}\n    big: &big\n"
                + "      <<: [" + String.join(", ", java.util.Collections.nCopies(200, "*b")) + "]\n";
        StringBuilder nested = new StringBuilder(merged);
        for (int i = 1; i < 6; i++) {
            nested.append("    big").append(i).append(": &big").append(i).append("\n      <<: [")
                    .append(String.join(", ", java.util.Collections.nCopies(200, i == 1 ? "*big" : "*big" + (i - 1)))).append("]\n");
        }
        assertRejected(nested.toString()).hasMessageContaining("expand to more than");
    }

    @Test
    void ordinaryAnchorsAndAliasesStillLoad() throws IOException {
        Inventory inventory = load("""
                all:
                  vars:
                    common: &common
                      region: eu-west-1
                      ports: &ports [8200, 8201]
                  hosts:
                    vault-01: &node
                      ansible_user: deploy
                      ansible_port: 22
                    vault-02: *node
                  children:
                    vault:
                      hosts:
                        vault-01:
                        vault-02:
                      vars:
                        listen_ports: *ports
                        defaults: *common
                """);
        Host second = inventory.hosts().get(1);
        assertThat(second.name()).isEqualTo("vault-02");
        assertThat(second.vars()).containsEntry("ansible_user", "deploy").containsEntry("ansible_port", 22L)
                .containsEntry("listen_ports", List.of(8200L, 8201L))
                .containsEntry("defaults", Map.of("region", "eu-west-1", "ports", List.of(8200L, 8201L)));
    }

    @Test
    void hundredsOfHostsMayShareOneAnchor() throws IOException {
        StringBuilder yaml = new StringBuilder("all:\n  hosts:\n    node-0: &node {ansible_user: deploy, tier: vault}\n");
        for (int i = 1; i < 300; i++) {
            yaml.append("    node-").append(i).append(": *node\n");
        }
        Inventory inventory = load(yaml.toString());
        assertThat(inventory.hosts()).hasSize(300);
        assertThat(inventory.hosts().get(299).vars()).containsEntry("tier", "vault");
    }

    @Test
    void rangeTooLargeForAnIntIsRefusedNotLoopedOver() {
        assertRejected("all:\n  hosts:\n    h[0:2147483647]:\n")
                .hasMessageContaining("prod.yml:3: field 'h[0:2147483647]'")
                .hasMessageContaining("range [0:2147483647] gives 2,147,483,648 hosts; at most 100,000 per host name");
    }

    @Test
    void numbersBeyondALongAreRefused() {
        assertRejected("all:\n  hosts:\n    h[0:99999999999999999999]:\n")
                .hasMessageContaining("prod.yml:3:").hasMessageContaining("is too large");
        assertRejected("all:\n  hosts:\n    h[0:9:99999999999999999999]:\n")
                .hasMessageContaining("prod.yml:3:").hasMessageContaining("is too large");
    }

    @Test
    void rangesMultiplyAndTheProductIsBounded() {
        assertRejected("all:\n  hosts:\n    r[0:999]-n[0:999]:\n")
                .hasMessageContaining("prod.yml:3: field 'r[0:999]-n[0:999]'")
                .hasMessageContaining("give more than 100,000 hosts together");
    }

    @Test
    void letterStepBeyondACharTerminates() throws IOException {
        Inventory inventory = load("all:\n  hosts:\n    db-[a:z:65536]:\n    web-[a:e:2]:\n");
        assertThat(InventoryTest.names(inventory.hosts())).containsExactly("db-a", "web-a", "web-c", "web-e");
    }

    @Test
    void zeroStepIsRefused() {
        assertRejected("all:\n  hosts:\n    h[1:5:0]:\n")
                .hasMessageContaining("prod.yml:3: field 'h[1:5:0]'").hasMessageContaining("range step must be positive");
    }

    @Test
    void aRangeAtTheLimitLoads() throws IOException {
        Inventory inventory = load("all:\n  hosts:\n    h[000001:100000]:\n      ansible_user: deploy\n");
        assertThat(inventory.hosts()).hasSize(100_000);
        assertThat(inventory.hosts().get(99_999).name()).isEqualTo("h100000");
        assertThat(inventory.hosts().get(0).vars()).containsEntry("ansible_user", "deploy");
    }
}

package io.vaultcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expected texts are what ansible-core 2.19.14's ansible-inventory prints for the same file. */
class InventoryCommandTest {
    static final Path FILE = Path.of("src/test/resources/inventories/compat/edge-ranges-priority.yml");

    static final String LIST = """
{
    "_meta": {
        "hostvars": {
            "10.0.0.5": {
                "ansible_port": 2201,
                "tier": "web"
            },
            "app-a": {
                "tier": "app"
            },
            "app-b": {
                "tier": "app"
            },
            "app-c": {
                "tier": "app"
            },
            "web-0": {
                "tier": "web"
            },
            "web-1": {
                "tier": "web"
            },
            "web-2": {
                "tier": "web"
            }
        },
        "profile": "inventory_legacy"
    },
    "all": {
        "children": [
            "ungrouped",
            "web",
            "app"
        ]
    },
    "app": {
        "hosts": [
            "web-1",
            "app-a",
            "app-b",
            "app-c"
        ]
    },
    "web": {
        "hosts": [
            "web-0",
            "web-1",
            "web-2",
            "10.0.0.5"
        ]
    }
}
            """;

    static final String GRAPH = """
            @all:
              |--@ungrouped:
              |--@web:
              |  |--web-0
              |  |--web-1
              |  |--web-2
              |  |--10.0.0.5
              |--@app:
              |  |--web-1
              |  |--app-a
              |  |--app-b
              |  |--app-c
            """;

    @TempDir
    Path dir;

    @Test
    void listPrintsWhatAnsibleInventoryPrints() {
        CliRun run = CliRun.run(null, "inventory", FILE.toString(), "--list");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo(LIST);
    }

    @Test
    void graphAndHostAndTheInventoryGivenWithDashI() {
        CliRun graph = CliRun.run(null, "inventory", "-i", FILE.toString(), "--graph");
        assertThat(graph.stdout()).isEqualTo(GRAPH);
        CliRun host = CliRun.run(null, "inventory", "-i", FILE.toString(), "--host", "10.0.0.5");
        assertThat(host.stdout()).isEqualTo("{\n    \"ansible_port\": 2201,\n    \"tier\": \"web\"\n}\n");
    }

    @Test
    void limitFiltersHostsAndDropsGroupsLeftEmpty() {
        CliRun run = CliRun.run(null, "inventory", FILE.toString(), "--list", "--limit", "all:!~web");
        assertThat(run.stdout()).contains("\"app-a\"").doesNotContain("\"web-1\"").doesNotContain("\"web\": {");
    }

    @Test
    void usageErrorsExitOne() {
        assertThat(CliRun.run(null, "inventory", FILE.toString()).exitCode()).isEqualTo(1);
        CliRun twice = CliRun.run(null, "inventory", FILE.toString(), "-i", FILE.toString(), "--list");
        assertThat(twice.exitCode()).isEqualTo(1);
        assertThat(twice.stderr()).contains("given twice").contains("vaultcfg inventory --help");
        CliRun none = CliRun.run(null, "apply", "--check");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.stderr().lines().toList()).containsExactly(
                "error: missing the inventory: give INVENTORY or -i INVENTORY; see 'vaultcfg apply --help'");
    }

    @Test
    void badInputNamesTheLineAndExitsOne() throws IOException {
        Path file = dir.resolve("bad.yml");
        Files.writeString(file, "all:\n  hosts:\n    h1:\n      x: !vault |\n        abc\n");
        CliRun run = CliRun.run(null, "inventory", file.toString(), "--host", "h1");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("bad.yml:4");
        assertThat(CliRun.run(null, "inventory", FILE.toString(), "--host", "nope").exitCode()).isEqualTo(1);
    }

    @Test
    void applyTakesTheInventoryWithDashI() throws IOException {
        Path file = dir.resolve("i.yml");
        Files.writeString(file, "all:\n  hosts:\n    h1:\n");
        CliRun run = CliRun.run(null, "apply", "-i", file.toString(), "--limit", "nomatch", "--check");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains(file.toString()).contains("matches no host");
    }
}

package io.vaultcfg.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * vaultcfg's reading of an inventory against ansible-core's own ({@code ansible-inventory}, a test peer
 * pinned in .ci/run): the same groups, hosts and host variables, and the same hosts for each pattern.
 * Skipped when ansible-inventory is not on PATH, except in CI (VAULTCFG_REQUIRE_FLEET=1).
 */
class InventoryCompatibilityTest {
    static final List<String> PATTERNS = List.of("all:!~vault", "!~web", "~(vault|db)", "vault*:&db", "all:!ungrouped",
            "app:web", "~^[a-d]", "web-?:!web-1");
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void ansibleInventoryPresent() {
        boolean present = Tools.onPath("ansible-inventory").isPresent();
        if (!present && "1".equals(System.getenv("VAULTCFG_REQUIRE_FLEET"))) {
            throw new AssertionError("ansible-inventory is not on PATH; .ci/run installs ansible-core");
        }
        Assumptions.assumeTrue(present, "ansible-inventory (ansible-core) is not on PATH");
    }

    /**
     * Every {@code *.yml} in compat/ and inventories/, and every compat/CASE/inventory.yml: a case
     * directory holds group_vars/ and host_vars/ beside its inventory, and may hold a playbook/ directory
     * with its own (given to both tools as --playbook-dir).
     */
    static Stream<Path> inventories() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(COMPAT, Path.of("inventories"))) {
            try (Stream<Path> list = Files.list(dir)) {
                list.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(files::add);
            }
        }
        try (Stream<Path> list = Files.list(COMPAT)) {
            list.map(dir -> dir.resolve("inventory.yml")).filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        realInventories().filter(p -> !REFUSED.containsKey(p.getFileName().toString())).forEach(files::add);
        return files.stream();
    }

    static final Path COMPAT = Path.of("src/test/resources/inventories/compat");
    static final Path REAL = COMPAT.resolve("real");

    /** The collected public inventories vaultcfg refuses, each with the file:line and field it must name. */
    static final Map<String, String> REFUSED = Map.of(
            "ansible-core-meta-tasks-inventory.yml", ":9: field 'ansible_python_interpreter': Jinja expressions",
            "ansible-core-test-int-hostname.yml", ":5: field '1234': host names must be text",
            "ansible-rulebook-tests-playbooks-inventory.yml", ":6: field 'ansible_python_interpreter': Jinja expressions",
            "ansible-runner-job-env-hosts.yml", ":5: field 'ansible_python_interpreter': Jinja expressions");

    static Stream<Path> realInventories() throws IOException {
        try (Stream<Path> list = Files.list(REAL)) {
            return list.filter(p -> p.toString().endsWith(".yml")).sorted().toList().stream();
        }
    }

    @org.junit.jupiter.api.Test
    void atLeastTenRealInventoriesAreCollectedAndEightAccepted() throws IOException {
        List<String> names = realInventories().map(p -> p.getFileName().toString()).toList();
        assertThat(names).hasSizeGreaterThanOrEqualTo(10).containsAll(REFUSED.keySet());
        assertThat(names.size() - REFUSED.size()).isGreaterThanOrEqualTo(8);
        String readme = Files.readString(COMPAT.resolve("README.md"));
        names.forEach(name -> assertThat(readme).as("README.md records the source of " + name).contains(name));
    }

    static Stream<Path> refusedInventories() {
        return REFUSED.keySet().stream().sorted().map(REAL::resolve);
    }

    @ParameterizedTest
    @MethodSource("refusedInventories")
    void refusedRealInventoriesNameFileLineAndField(Path file) {
        CliRun vaultcfg = CliRun.run(null, "inventory", file.toString(), "--list");
        assertThat(vaultcfg.exitCode()).isEqualTo(1);
        assertThat(vaultcfg.stdout()).isEmpty();
        assertThat(vaultcfg.stderr()).contains(file + REFUSED.get(file.getFileName().toString()));
    }

    /** The playbook directory of a case directory, or null. */
    static Path playbookDir(Path inventory) {
        Path dir = inventory.toAbsolutePath().getParent().resolve("playbook");
        return Files.isDirectory(dir) ? dir : null;
    }

    @ParameterizedTest
    @MethodSource("inventories")
    void listEqualsAnsibleInventory(Path file) throws Exception {
        JsonNode ansible = JSON.readTree(ansibleInventory(file, null));
        List<String> args = new ArrayList<>(List.of("inventory", file.toString(), "--list"));
        if (playbookDir(file) != null) {
            args.addAll(List.of("--playbook-dir", playbookDir(file).toString()));
        }
        CliRun vaultcfg = CliRun.run(null, args.toArray(String[]::new));
        assertThat(vaultcfg.exitCode()).as(vaultcfg.stderr()).isZero();
        // JsonNode equality ignores the order of object keys and keeps the order of lists
        assertThat(JSON.readTree(vaultcfg.stdout())).isEqualTo(ansible);
    }

    @ParameterizedTest
    @MethodSource("inventories")
    void patternsSelectTheSameHosts(Path file) throws Exception {
        Inventory inventory = InventoryLoader.load(file, playbookDir(file));
        for (String pattern : PATTERNS) {
            TreeSet<String> expected = hostsOf(JSON.readTree(ansibleInventory(file, pattern)));
            TreeSet<String> actual = new TreeSet<>();
            try {
                inventory.select(pattern, "--limit").forEach(h -> actual.add(h.name()));
            } catch (io.vaultcfg.config.ConfigException e) {
                assertThat(e.getMessage()).as(pattern).contains("matches no host");
            }
            assertThat(actual).as(file + " --limit " + pattern).isEqualTo(expected);
        }
    }

    /** Every host named in any group of an ansible-inventory --list document. */
    static TreeSet<String> hostsOf(JsonNode list) {
        TreeSet<String> hosts = new TreeSet<>();
        list.fields().forEachRemaining(group -> group.getValue().path("hosts").forEach(h -> hosts.add(h.asText())));
        return hosts;
    }

    static String ansibleInventory(Path file, String limit) throws Exception {
        List<String> command = new ArrayList<>(List.of("ansible-inventory", "-i", file.toAbsolutePath().toString(), "--list"));
        if (limit != null) {
            command.addAll(List.of("--limit", limit));
        }
        if (playbookDir(file) != null) {
            command.addAll(List.of("--playbook-dir", playbookDir(file).toString()));
        }
        // an empty working directory: no project ansible.cfg, and no group_vars/ that ansible-inventory
        // would read from it as the playbook directory
        Path emptyDir = Files.createTempDirectory("ansible-inventory-cwd");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                .directory(emptyDir.toFile());
        Map<String, String> env = builder.environment();
        env.put("ANSIBLE_INVENTORY_ENABLED", "yaml");
        env.put("ANSIBLE_HOST_PATTERN_MISMATCH", "ignore");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("ansible-inventory " + command).isZero();
        Files.delete(emptyDir);
        return out;
    }
}

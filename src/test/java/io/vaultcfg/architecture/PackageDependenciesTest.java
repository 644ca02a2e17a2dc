package io.vaultcfg.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md, read from the compiled classes by the JDK's own jdeps: a
 * dependency added by a fully qualified name is caught as well as one added by an import.
 */
class PackageDependenciesTest {
    private static final String PROJECT = "io.vaultcfg.";
    private static final Map<String, Set<String>> DEPENDENCIES = new TreeMap<>();

    @BeforeAll
    static void readCompiledClasses() {
        Path classes = Path.of("target/classes");
        assertThat(Files.isDirectory(classes)).as("compiled classes at " + classes.toAbsolutePath()).isTrue();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:package",
                "-e", "io\\.vaultcfg\\..*", classes.toString());
        assertThat(exit).as(out.toString()).isZero();
        for (String line : out.toString().split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 3 && words[0].startsWith(PROJECT) && words[1].equals("->") && words[2].startsWith(PROJECT)
                    && !words[0].equals(words[2])) {
                DEPENDENCIES.computeIfAbsent(words[0], p -> new TreeSet<>()).add(words[2]);
            }
        }
        assertThat(DEPENDENCIES).as("jdeps found the project's packages").containsKey("io.vaultcfg.run");
    }

    private static Set<String> of(String pkg) {
        return DEPENDENCIES.getOrDefault(PROJECT + pkg, Set.of());
    }

    @Test
    void thePlanModelDependsOnNoOtherProjectPackage() {
        assertThat(of("plan")).isEmpty();
    }

    @Test
    void shellQuotingAndScriptsDependOnNoOtherProjectPackage() {
        assertThat(of("shell")).isEmpty();
    }

    @Test
    void theNodeRoleReaderDependsOnlyOnJson() {
        assertThat(of("vault")).containsOnly(PROJECT + "json");
    }

    @Test
    void modulesAndInventoryNeverReachTheTransport() {
        assertThat(of("module")).doesNotContain(PROJECT + "ssh", PROJECT + "run");
        assertThat(of("inventory")).doesNotContain(PROJECT + "ssh", PROJECT + "run");
    }
}

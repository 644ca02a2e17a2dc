package io.vaultcfg.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md, read from the compiled classes by the JDK's own jdeps: a
 * dependency added by a fully qualified name is caught as well as one added by an import. A class named in
 * a string (a JVM started with {@code io.vaultcfg.x.Main}, a reflective load) counts as a dependency too.
 * Sub-packages are packages of their own.
 */
class PackageDependenciesTest {
    private static final String PROJECT = "io.vaultcfg.";
    private static final Pattern CLASS_NAMED_IN_A_STRING = Pattern.compile("io\\.vaultcfg\\.((?:[a-z0-9_]+\\.)*[a-z0-9_]+)\\.[A-Z]");
    private static final Map<String, Set<String>> DEPENDENCIES = new TreeMap<>();

    @BeforeAll
    static void readCompiledClasses() throws IOException {
        Path classes = Path.of("target/classes");
        assertThat(Files.isDirectory(classes)).as("compiled classes at " + classes.toAbsolutePath()).isTrue();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:package",
                "-e", "io\\.vaultcfg\\..*", classes.toString());
        assertThat(exit).as(out.toString()).isZero();
        for (String line : out.toString().split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 3 && words[0].startsWith(PROJECT) && words[1].equals("->") && words[2].startsWith(PROJECT)) {
                depend(words[0], words[2]);
            }
        }
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(file -> file.toString().endsWith(".class")).forEach(file -> namedInStrings(classes, file));
        }
        assertThat(DEPENDENCIES).as("jdeps found the project's packages").containsKey("io.vaultcfg.run");
    }

    private static void depend(String from, String to) {
        if (!from.equals(to)) {
            DEPENDENCIES.computeIfAbsent(from, p -> new TreeSet<>()).add(to);
        }
    }

    private static void namedInStrings(Path classes, Path file) {
        String pkg = classes.relativize(file.getParent()).toString().replace('/', '.');
        try {
            Matcher named = CLASS_NAMED_IN_A_STRING.matcher(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            while (named.find()) {
                depend(pkg, PROJECT + named.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> of(String pkg) {
        return DEPENDENCIES.getOrDefault(PROJECT + pkg, Set.of());
    }

    @Test
    void noPackageCycle() {
        assertThat(cycles(DEPENDENCIES)).as("packages that depend on each other in a circle, with their project dependencies")
                .isEmpty();
    }

    @Test
    void theCycleCheckFindsACycleThroughSeveralPackagesAndSubPackages() {
        Map<String, Set<String>> graph = Map.of(
                "a", Set.of("a.sub"), "a.sub", Set.of("b"), "b", Set.of("a", "c"), "c", Set.of(), "d", Set.of("a"));

        assertThat(cycles(graph)).containsExactly(Map.of("a", Set.of("a.sub"), "a.sub", Set.of("b"), "b", Set.of("a")));
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

    @Test
    void theLabAndTheCommandLineShareTheApplicationApiNotEachOther() {
        assertThat(of("lab")).doesNotContain(PROJECT + "cli");
        assertThat(of("app")).doesNotContain(PROJECT + "cli", PROJECT + "lab");
    }

    /**
     * The strongly connected components of more than one package (Tarjan), each as the dependencies among its
     * members: empty when the graph has no cycle.
     */
    static List<Map<String, Set<String>>> cycles(Map<String, Set<String>> graph) {
        Tarjan tarjan = new Tarjan(graph);
        new TreeSet<>(graph.keySet()).forEach(node -> {
            if (!tarjan.index.containsKey(node)) {
                tarjan.visit(node);
            }
        });
        return tarjan.components;
    }

    private static final class Tarjan {
        private final Map<String, Set<String>> graph;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> lowLink = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new TreeSet<>();
        private final List<Map<String, Set<String>>> components = new ArrayList<>();

        Tarjan(Map<String, Set<String>> graph) {
            this.graph = graph;
        }

        void visit(String node) {
            index.put(node, index.size());
            lowLink.put(node, index.get(node));
            stack.push(node);
            onStack.add(node);
            for (String next : new TreeSet<>(graph.getOrDefault(node, Set.of()))) {
                if (!index.containsKey(next)) {
                    visit(next);
                    lowLink.put(node, Math.min(lowLink.get(node), lowLink.get(next)));
                } else if (onStack.contains(next)) {
                    lowLink.put(node, Math.min(lowLink.get(node), index.get(next)));
                }
            }
            if (lowLink.get(node).equals(index.get(node))) {
                Set<String> members = new TreeSet<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    members.add(member);
                } while (!member.equals(node));
                if (members.size() > 1) {
                    Map<String, Set<String>> edges = new TreeMap<>();
                    members.forEach(from -> edges.put(from, new TreeSet<>(graph.getOrDefault(from, Set.of()).stream()
                            .filter(members::contains).toList())));
                    components.add(edges);
                }
            }
        }
    }
}

package io.vaultcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vaultcfg.ssh.HostUnreachableException;
import io.vaultcfg.ssh.RemoteSession;
import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.ssh.SshTarget;
import io.vaultcfg.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * YAML and host-range inputs built to exhaust memory or loop forever end, through the real CLI,
 * as one file:line error with exit 1 and no host contacted.
 */
class InputBoundsCliTest {
    @TempDir
    Path dir;
    final AtomicInteger connections = new AtomicInteger();
    final SshConnector countingConnector = new SshConnector() {
        @Override
        public RemoteSession connect(SshTarget target) throws HostUnreachableException {
            connections.incrementAndGet();
            throw new HostUnreachableException("test connector");
        }
    };

    static String aliasBomb(String indent) {
        StringBuilder yaml = new StringBuilder(indent + "a0: &a0 [x, x, x]\n");
        for (int i = 1; i < 16; i++) {
            String previous = "*a" + (i - 1);
            yaml.append(indent).append("a").append(i).append(": &a").append(i).append(" [").append(previous)
                    .append(", ").append(previous).append(", ").append(previous).append("]\n");
        }
        return yaml.toString();
    }

    CliRun apply(String inventoryYaml, String playbookYaml) throws IOException {
        Path inventory = Files.writeString(dir.resolve("inventory.yml"), inventoryYaml);
        Path playbook = Files.writeString(dir.resolve("play.yml"), playbookYaml);
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRun.run(countingConnector, Map.of(), "",
                "apply", inventory.toString(), "-p", playbook.toString(), "--check"));
    }

    void assertRejected(CliRun run, String... fragments) {
        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stderr()).contains(fragments).contains("Nothing was changed.")
                .doesNotContain("OutOfMemoryError", "StackOverflowError", "Exception");
        assertThat(connections).as("hosts contacted").hasValue(0);
    }

    static final String PLAY = "- hosts: all\n  tasks: []\n";
    static final String HOST = "all:\n  hosts:\n    node-1:\n";

    @Test
    void aliasBombInTheInventory() throws IOException {
        assertRejected(apply("all:\n  hosts: {node-1: }\n  vars:\n" + aliasBomb("    "), PLAY),
                "inventory.yml:13:", "field 'a9'", "YAML aliases expand to more than 100,000 values");
    }

    @Test
    void aliasBombInThePlaybook() throws IOException {
        assertRejected(apply(HOST, "- hosts: all\n  tasks: []\n  vars:\n" + aliasBomb("    ")),
                "play.yml:13:", "field 'a9'", "YAML aliases expand to more than 100,000 values");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            recursive alias         | all:\\n  hosts: {node-1: }\\n  vars:\\n    r: &r [*r]\\n                | inventory.yml:4: | field 'r'                 | alias *r is used inside its own anchor
            recursive group         | all: &all\\n  hosts: {node-1: }\\n  children:\\n    g: *all\\n          | inventory.yml:4: | field 'g'                 | inside its own anchor
            binary tag              | all:\\n  hosts: {node-1: }\\n  vars:\\n    b: !!binary aGk=\\n          | inventory.yml:4: | field 'b'                 | YAML tag !!binary is not supported
            java class tag          | all:\\n  hosts: {node-1: }\\n  vars:\\n    e: !!javax.script.ScriptEngineManager []\\n | inventory.yml:4: | field 'e' | YAML tag !!javax.script.ScriptEngineManager is not supported
            custom tag              | all:\\n  hosts: {node-1: }\\n  vars:\\n    c: !foo bar\\n               | inventory.yml:4: | field 'c'                 | YAML tag !foo is not supported
            range beyond int        | all:\\n  hosts:\\n    h[0:2147483647]:\\n                                | inventory.yml:3: | field 'h[0:2147483647]'   | at most 100,000 per host name
            multiplied ranges       | all:\\n  hosts:\\n    r[0:999]-n[0:999]:\\n                              | inventory.yml:3: | field 'r[0:999]-n[0:999]' | more than 100,000 hosts together
            step zero               | all:\\n  hosts:\\n    h[1:5:0]:\\n                                       | inventory.yml:3: | field 'h[1:5:0]'          | range step must be positive
            """)
    void badInventory(String what, String yaml, String location, String field, String message) throws IOException {
        assertRejected(apply(yaml.replace("\\n", "\n"), PLAY), location, field, message);
    }

    @Test
    void recursiveAliasInThePlaybook() throws IOException {
        assertRejected(apply(HOST, "- hosts: all\n  vars:\n    loop: &loop {self: *loop}\n  tasks: []\n"),
                "play.yml:3:", "field 'self'", "alias *loop is used inside its own anchor");
    }

    @Test
    void letterRangeWithAHugeStepReachesItsOneHost() throws IOException {
        CliRun run = apply("all:\n  hosts:\n    db-[a:z:65536]:\n", PLAY);
        assertThat(run.all()).contains("db-a").doesNotContain("db-b");
        assertThat(connections).as("the input was accepted and the one host tried").hasValue(1);
    }

    @Test
    void anInventoryWithAnchorsAndAliasesIsAccepted() throws IOException {
        CliRun run = apply("""
                all:
                  hosts:
                    node-1: &node
                      ansible_user: deploy
                      ansible_port: 2222
                    node-2: *node
                  children:
                    vault:
                      hosts: {node-1: , node-2: }
                """, PLAY);
        assertThat(run.stderr()).doesNotContain("inventory.yml:");
        assertThat(connections).as("both hosts were tried").hasValue(2);
    }
}

package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.testing.CountedCommands;
import io.vaultcfg.testing.RecordedAnswers;
import io.vaultcfg.vault.NodeAnswer;
import io.vaultcfg.vault.NodeRole.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The token-less role probe: its shell run by a real sh against canned curl output, parsed into a NodeRole. */
class NodeRoleFactTest {
    static String printed(RecordedAnswers answers) {
        StringBuilder out = new StringBuilder();
        for (var entry : List.of(List.of("seal-status", answers.sealStatus()), List.of("health", answers.health()),
                List.of("leader", answers.leader()))) {
            NodeAnswer answer = (NodeAnswer) entry.get(1);
            out.append("@@vc-role-endpoint ").append(entry.get(0)).append('\n').append(answer.body()).append('\n')
                    .append("@@vc-role-http ").append(answer.status()).append('\n');
        }
        return out.toString().stripTrailing();
    }

    @Test
    void aStandbyAndAnActiveNodeAreReadFromWhatOpenBaoAnswered() throws IOException {
        NodeRoleFact.Reading standby = NodeRoleFact.parse(printed(RecordedAnswers.load("openbao-2.6.2/raft-awskms-standby")));
        assertThat(standby.role()).hasValueSatisfying(role -> {
            assertThat(role.role()).isEqualTo(Role.STANDBY);
            assertThat(role.clusterId()).isPresent();
            assertThat(role.raftAppliedIndex()).isPresent();
        });
        assertThat(standby.haEnabled()).hasValue(true);
        assertThat(NodeRoleFact.parse(printed(RecordedAnswers.load("openbao-2.6.2/raft-awskms-active"))).role())
                .hasValueSatisfying(role -> assertThat(role.role()).isEqualTo(Role.ACTIVE));
        assertThat(NodeRoleFact.parse(printed(RecordedAnswers.load("openbao-2.6.2/raft-uninitialized"))).role())
                .hasValueSatisfying(role -> assertThat(role.role()).isEqualTo(Role.UNINITIALIZED));
    }

    @Test
    void aNodeThatDoesNotAnswerIsDownAndAHostWithoutCurlSaysSo(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        NodeRoleFact fact = new NodeRoleFact("http://127.0.0.1:1", Optional.empty());
        Process run = new ProcessBuilder("sh", "-c", fact.shell() + " 2>&1").redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes());
        run.waitFor();
        NodeRoleFact.Reading down = fact.parse(new CommandOutput(run.exitValue(), output.strip()));
        assertThat(down.down()).as(output).isTrue();
        assertThat(down.role()).isEmpty();

        Files.createDirectories(dir.resolve("bin"));
        ProcessBuilder noCurl = new ProcessBuilder("/bin/sh", "-c", fact.shell()).redirectErrorStream(true);
        noCurl.environment().put("PATH", dir.resolve("bin").toString());
        Process started = noCurl.start();
        String said = new String(started.getInputStream().readAllBytes());
        started.waitFor();
        NodeRoleFact.Reading unread = fact.parse(new CommandOutput(started.exitValue(), said));
        assertThat(unread.down()).isFalse();
        assertThat(unread.problem()).contains("no curl");
    }

    /** A node's API on loopback answering each path with {@code answers}; a path missing there is cut off unanswered. */
    static com.sun.net.httpserver.HttpServer node(java.util.Map<String, NodeAnswer> answers) throws IOException {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/v1/sys/", exchange -> {
            NodeAnswer answer = answers.get(exchange.getRequestURI().getPath().substring("/v1/sys/".length()));
            if (answer == null) {
                exchange.close();
                return;
            }
            byte[] body = answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    static NodeRoleFact.Reading probe(com.sun.net.httpserver.HttpServer node, CountedCommands counted) throws Exception {
        NodeRoleFact fact = new NodeRoleFact("http://127.0.0.1:" + node.getAddress().getPort() + "/", Optional.empty());
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", "(" + fact.shell() + ") 2>&1").redirectErrorStream(true);
        builder.environment().put("PATH", counted.path());
        Process run = builder.start();
        String output = new String(run.getInputStream().readAllBytes());
        return fact.parse(new CommandOutput(run.waitFor(), output));
    }

    /** The three reads are one curl process (on a fleet every process on every host adds up), read as three probes. */
    @Test
    void theThreeAnswersAreReadByOneCurl(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        RecordedAnswers standby = RecordedAnswers.load("openbao-2.6.2/raft-awskms-standby");
        CountedCommands counted = CountedCommands.in(dir, "curl");
        com.sun.net.httpserver.HttpServer node = node(java.util.Map.of("seal-status", standby.sealStatus(),
                "health", standby.health(), "leader", standby.leader()));
        try {
            NodeRoleFact.Reading reading = probe(node, counted);

            assertThat(reading.role()).as(reading.problem()).hasValue(standby.role());
            assertThat(reading.haEnabled()).hasValue(true);
            assertThat(counted.counts()).isEqualTo(java.util.Map.of("curl", 1L));
        } finally {
            node.stop(0);
        }
    }

    /** A read cut off in the middle keeps curl's complaint in its own answer: the reads after it still count. */
    @Test
    void aReadCutOffKeepsItsErrorToItselfAndTheNextOneIsStillRead(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        RecordedAnswers standby = RecordedAnswers.load("openbao-2.6.2/raft-awskms-standby");
        com.sun.net.httpserver.HttpServer node = node(java.util.Map.of("seal-status", standby.sealStatus(), "leader", standby.leader()));
        try {
            NodeRoleFact.Reading reading = probe(node, CountedCommands.in(dir, "curl"));

            assertThat(reading.down()).isFalse();
            assertThat(reading.problem()).doesNotContain("printed something else");
            assertThat(reading.haEnabled()).as(reading.problem()).hasValue(true);
        } finally {
            node.stop(0);
        }
    }

    @Test
    void answersThatAreNotAVaultNodesAreUnreadableNotARole() {
        String notVault = "@@vc-role-endpoint seal-status\n<h1>hi</h1>\n@@vc-role-http 200\n@@vc-role-endpoint health\n"
                + "<h1>404</h1>\n@@vc-role-http 404\n@@vc-role-endpoint leader\n<h1>404</h1>\n@@vc-role-http 404";
        NodeRoleFact.Reading reading = NodeRoleFact.parse(notVault);
        assertThat(reading.role()).isEmpty();
        assertThat(reading.down()).isFalse();
        assertThat(reading.problem()).startsWith("cannot read the node's role").doesNotContain("<h1>");
    }

    @Test
    void aNodeWithoutHaStorageSaysSoEvenWhenItsRoleCannotBeRead() {
        String standIn = "@@vc-role-endpoint seal-status\n{\"type\":\"awskms\",\"initialized\":true,\"sealed\":false}\n"
                + "@@vc-role-http 200\n@@vc-role-endpoint health\n{\"initialized\":true,\"sealed\":false}\n@@vc-role-http 200\n"
                + "@@vc-role-endpoint leader\n{\"ha_enabled\":false,\"is_self\":false,\"leader_address\":\"\"}\n@@vc-role-http 200";
        NodeRoleFact.Reading reading = NodeRoleFact.parse(standIn);
        assertThat(reading.haEnabled()).hasValue(false);
        assertThat(reading.role()).isEmpty();
    }
}

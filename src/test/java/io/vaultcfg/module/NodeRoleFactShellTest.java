package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.testing.RecordedAnswers;
import io.vaultcfg.vault.NodeAnswer;
import io.vaultcfg.vault.NodeRole.Role;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The role probe's shell, run under dash and bash against a node's API served from recorded OpenBao answers. */
class NodeRoleFactShellTest {
    @TempDir
    Path dir;

    @Test
    void oneCurlReadsTheThreeEndpointsEachIntoItsOwnSection() throws Exception {
        RecordedAnswers standby = RecordedAnswers.load("openbao-2.6.2/raft-awskms-standby");
        HttpServer server = serve(Map.of("seal-status", standby.sealStatus(), "health", standby.health(), "leader", standby.leader()));
        try {
            Path calls = dir.resolve("curl-calls");
            NodeRoleFact fact = new NodeRoleFact("http://127.0.0.1:" + server.getAddress().getPort() + "/", Optional.empty());
            for (String shell : shells()) {
                Files.deleteIfExists(calls);
                NodeRoleFact.Reading reading = fact.parse(run(shell, fact.shell(), calls));
                assertThat(reading.role()).as(shell).hasValueSatisfying(role -> {
                    assertThat(role.role()).isEqualTo(Role.STANDBY);
                    assertThat(role.raftAppliedIndex()).hasValue(42);
                });
                assertThat(Files.readAllLines(calls)).as("curl started once by " + shell).hasSize(1);
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anEndpointThatFailsLeavesTheOthersInTheirSections() throws Exception {
        RecordedAnswers sealed = RecordedAnswers.load("openbao-2.6.2/raft-awskms-sealed");
        // health's connection is closed with no answer: curl says so in health's section, then reads leader
        HttpServer server = serve(Map.of("seal-status", sealed.sealStatus(), "leader", sealed.leader()));
        try {
            NodeRoleFact fact = new NodeRoleFact("http://127.0.0.1:" + server.getAddress().getPort(), Optional.empty());
            CommandOutput output = run("sh", fact.shell(), dir.resolve("curl-calls"));
            assertThat(output.output()).containsSubsequence("@@vc-role-endpoint seal-status\n{\"type\":\"awskms\"",
                    "@@vc-role-http 200\n@@vc-role-endpoint health\ncurl: (52)", "@@vc-role-http 000\n@@vc-role-endpoint leader\n",
                    "{\"errors\":[\"Vault is sealed\"]}", "\n@@vc-role-http 503");
            assertThat(fact.parse(output).down()).isFalse();
        } finally {
            server.stop(0);
        }
    }

    private static List<String> shells() {
        return List.of("dash", "bash").stream().filter(shell -> Files.isExecutable(Path.of("/bin/" + shell))).toList();
    }

    /** Runs the probe with a curl on the PATH that logs each start, then runs the real one. */
    private CommandOutput run(String shell, String script, Path calls) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path curl = bin.resolve("curl");
        String real = List.of("/usr/bin/curl", "/bin/curl", "/usr/local/bin/curl").stream()
                .filter(path -> Files.isExecutable(Path.of(path))).findFirst().orElseThrow();
        Files.writeString(curl, "#!/bin/sh\necho started >> '" + calls + "'\nexec " + real + " \"$@\"\n");
        Files.setPosixFilePermissions(curl, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder builder = new ProcessBuilder("/bin/" + shell, "-c", "(" + script + ") 2>&1").redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new CommandOutput(process.waitFor(), output.strip());
    }

    /** Each endpoint of {@code sys/} with its recorded answer; any other closes the connection without an answer. */
    private static HttpServer serve(Map<String, NodeAnswer> answers) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/v1/sys/", exchange -> {
            String endpoint = exchange.getRequestURI().getPath().substring("/v1/sys/".length());
            NodeAnswer answer = answers.get(endpoint);
            if (answer == null) {
                exchange.close();
                return;
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }
}

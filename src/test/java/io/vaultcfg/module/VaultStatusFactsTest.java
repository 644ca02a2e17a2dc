package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vaultcfg.plan.Action;
import io.vaultcfg.plan.CommandFact;
import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.plan.HostFacts;
import io.vaultcfg.plan.PlanContext;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.playbook.Task;
import io.vaultcfg.render.TemplateRenderer;
import io.vaultcfg.secret.Redactor;
import io.vaultcfg.testing.CountedCommands;
import io.vaultcfg.testing.RecordedAnswers;
import io.vaultcfg.vault.NodeAnswer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vault_status}'s facts, each command fact run as the facts script runs it ({@code ( shell ) 2>&1}) by a real dash
 * and bash against a node's API served from recorded OpenBao answers, then planned: the seal status is the role probe's.
 */
class VaultStatusFactsTest {
    private static final String UNSEALED_STANDBY = "openbao-2.6.2/raft-awskms-standby";

    @TempDir
    Path dir;
    HttpServer server;

    @BeforeEach
    void node() throws IOException {
        RecordedAnswers standby = RecordedAnswers.load(UNSEALED_STANDBY);
        server = serve(Map.of("seal-status", standby.sealStatus(), "health", standby.health(), "leader", standby.leader()));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void oneCurlOnTheHostReadsTheRoleAndTheSealStatus(String shell) throws Exception {
        CountedCommands counted = CountedCommands.in(dir.resolve(shell), "curl");
        Action check = check("auto");

        Step step = check.plan(new PlanContext(read(check, shell, counted.path()), false));

        assertThat(step.status()).isEqualTo(StepStatus.OK);
        assertThat(step.message()).startsWith("unsealed (seal type awskms");
        assertThat(step.action()).isEmpty();
        assertThat(counted.counts()).isEqualTo(Map.of("curl", 1L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void withoutCurlTheAutoProbeAsksTheVaultCli(String shell) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("no-curl"));
        Path vault = bin.resolve("vault");
        Files.writeString(vault, "#!/bin/sh\necho '{\"initialized\":true,\"sealed\":true,\"type\":\"awskms\"}'\n");
        Files.setPosixFilePermissions(vault, PosixFilePermissions.fromString("rwx------"));
        Action check = check("auto");

        Step step = check.plan(new PlanContext(read(check, shell, bin.toString()), false));

        assertThat(step.message()).isEqualTo("check status (sealed, waiting)");
        assertThat(step.preview()).isEqualTo(new Step.Preview(StepStatus.FAILED, "sealed (seal type awskms)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void theHttpProbeOnAHostWithoutCurlSaysTheProbeIsMissing(String shell) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty-bin"));
        Action check = check("http");

        Step step = check.plan(new PlanContext(read(check, shell, empty.toString()), false));

        assertThat(step.status()).isEqualTo(StepStatus.FAILED);
        assertThat(step.message()).isEqualTo("vault not found on the host (set vault_binary)");
    }

    private Action check(String probe) {
        Map<String, Object> args = Map.of("address", "http://127.0.0.1:" + server.getAddress().getPort(), "probe", probe);
        Task task = new Task("t", "vault_status", args, Map.of(), List.of(), List.of(), Set.of(), Optional.empty(), Optional.empty(),
                false, "play.yml:3");
        return Modules.builtin().get("vault_status").prepare(new TaskInput(task, args, Map.of(), new TemplateRenderer(List.of()),
                new Redactor()));
    }

    /** Each command fact the check wants, run by {@code shell} with {@code path} as its PATH. */
    private static HostFacts read(Action check, String shell, String path) throws IOException, InterruptedException {
        Map<CommandFact<?>, CommandOutput> outputs = new HashMap<>();
        for (var fact : check.facts()) {
            CommandFact<?> command = (CommandFact<?>) fact;
            ProcessBuilder builder = new ProcessBuilder("/bin/" + shell, "-c", "(" + command.shell() + ") 2>&1").redirectErrorStream(true);
            builder.environment().put("PATH", path);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            outputs.put(command, new CommandOutput(process.waitFor(), output));
        }
        return new HostFacts(Map.of(), outputs);
    }

    private static HttpServer serve(Map<String, NodeAnswer> answers) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/v1/sys/", exchange -> {
            NodeAnswer answer = answers.get(exchange.getRequestURI().getPath().substring("/v1/sys/".length()));
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

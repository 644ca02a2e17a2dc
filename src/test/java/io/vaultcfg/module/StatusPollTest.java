package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vaultcfg.testing.CountedCommands;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wait on the host after a restart, run as the apply script runs a step ({@code ( set -e; shell ) 2>&1}) by a real
 * dash and bash, with the real curl against a node that answers sealed a few times before it unseals: each poll starts
 * curl and a sleep, nothing else, the wait ends at the first answer that says unsealed (or uninitialized), and a node
 * that never does is given up after {@code retries × delay} s of waiting, counted in polls, not read from a clock.
 */
class StatusPollTest {
    private static final String SEALED = "{\"type\":\"awskms\",\"initialized\":true,\"sealed\":true,\"t\":1,\"n\":1}";
    private static final String UNSEALED = "{\"type\":\"awskms\",\"initialized\":true,\"sealed\":false,\"t\":1,\"n\":1}";

    @TempDir
    Path dir;
    private HttpServer server;
    private final AtomicInteger asked = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void eachPollStartsOnlyTheProbeAndASleepAndTheFirstUnsealedAnswerEndsTheWait(String shell) throws Exception {
        serve(List.of(SEALED, SEALED, SEALED, UNSEALED));
        CountedCommands counted = CountedCommands.in(dir, "curl", "sleep", "grep");

        String output = run(shell, StatusPoll.shell(curl(), 15, 2, Optional.empty()), counted.path());

        assertThat(output).isEqualTo(UNSEALED + "\n");
        assertThat(counted.counts()).isEqualTo(Map.of("curl", 4L, "sleep", 3L));
        assertThat(asked).hasValue(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void theCliIndentedAnswerAndAnUninitializedNodeEndTheWaitToo(String shell) throws Exception {
        serve(List.of("{\n  \"type\": \"awskms\",\n  \"initialized\": true,\n  \"sealed\": false\n}"));
        assertThat(run(shell, StatusPoll.shell(curl(), 15, 2, Optional.empty()), System.getenv("PATH"))).contains("\"sealed\": false");
        assertThat(asked).hasValue(1);

        server.stop(0);
        asked.set(0);
        serve(List.of("{\"type\":\"shamir\",\"initialized\" : false,\"sealed\":true}"));
        assertThat(run(shell, StatusPoll.shell(curl(), 15, 2, Optional.empty()), System.getenv("PATH"))).contains("\"initialized\" : false");
        assertThat(asked).hasValue(1);
    }

    /** One second of fast polls, then the whole budget ({@code retries × delay} = 1 s) is spent: the wait ends. */
    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void aNodeThatStaysSealedIsGivenUpOnceItsBudgetIsSpent(String shell) throws Exception {
        serve(List.of(SEALED));
        CountedCommands counted = CountedCommands.in(dir, "curl", "sleep");

        String output = run(shell, StatusPoll.shell(curl(), 1, 1, Optional.empty()), counted.path());

        assertThat(output).isEqualTo(SEALED + "\n");
        long polls = 1000 / StatusPoll.FAST_STEP_MILLIS;
        assertThat(counted.counts()).isEqualTo(Map.of("curl", polls + 1, "sleep", polls));
    }

    /** A sleep that takes whole seconds only: the fast polls fall back to one a second, and the budget still holds. */
    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void aSleepWithoutFractionsFallsBackToWholeSeconds(String shell) throws Exception {
        serve(List.of(SEALED));
        Path wholeSleep = dir.resolve("whole-sleep");
        Files.writeString(wholeSleep, "#!/bin/sh\ncase $1 in *.*) exit 1 ;; esac\nexec sleep \"$1\"\n");
        Files.setPosixFilePermissions(wholeSleep, PosixFilePermissions.fromString("rwx------"));
        CountedCommands counted = CountedCommands.in(dir, "curl").wrap("sleep", wholeSleep, System.getenv("PATH"));

        String output = run(shell, StatusPoll.shell(curl(), 1, 1, Optional.empty()), counted.path());

        assertThat(output).isEqualTo(SEALED + "\n");
        assertThat(counted.counts()).as("a poll, a refused fraction and a second's sleep, the last poll")
                .isEqualTo(Map.of("curl", 2L, "sleep", 2L));
    }

    private String curl() {
        return VaultStatusModule.statusCommand("http://127.0.0.1:" + server.getAddress().getPort(), Optional.empty(), "vault", "http");
    }

    /** Answers {@code answers} in turn, the last one from then on. */
    private void serve(List<String> answers) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/v1/sys/seal-status", exchange -> {
            int turn = asked.getAndIncrement();
            byte[] body = answers.get(Math.min(turn, answers.size() - 1)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    private static String run(String shell, String poll, String path) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/bin/" + shell, "-c", "(\nset -e\n" + poll + "\n) 2>&1").redirectErrorStream(true);
        builder.environment().put("PATH", path);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }
}

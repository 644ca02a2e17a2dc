package io.vaultcfg.aws.emulator;

import io.vaultcfg.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code vaultcfg aws-emulator} as a separate process, the way the lab and a person run it. */
class AwsEmulatorCommandTest {

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void runsUntilKilledPrintsItsEndpointAndKeepsStateInTheGivenFile(@TempDir Path dir) throws Exception {
        int port = freePort();
        Path state = dir.resolve("state.json");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "aws-emulator", "--port", String.valueOf(port), "--state", state.toString(), "--log-requests")
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
            Thread reader = new Thread(() -> out.lines().forEach(line -> {
                synchronized (lines) {
                    lines.add(line);
                }
            }));
            reader.setDaemon(true);
            reader.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                synchronized (lines) {
                    return lines.stream().anyMatch(l -> l.contains("listening on http://127.0.0.1:" + port));
                }
            });

            var endpoint = java.net.URI.create("http://127.0.0.1:" + port);
            var admin = new RawAwsHttp(endpoint, new AccessKeyPair("test", "test"));
            var response = admin.kms("TrentService.CreateKey", "{\"Description\":\"from the command line\"}");
            assertThat(response.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                synchronized (lines) {
                    return lines.stream().anyMatch(l -> l.contains("kms:CreateKey caller=arn:aws:iam::123456789012:root") && l.endsWith("200 OK"));
                }
            });
        } finally {
            process.destroy();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(state)).contains("from the command line");
        synchronized (lines) {
            assertThat(String.join("\n", lines)).doesNotContain("secret").contains("clear-text lab store");
        }
    }

    @Test
    void helpDescribesTheOptions() {
        var out = new java.io.ByteArrayOutputStream();
        var original = System.out;
        System.setOut(new java.io.PrintStream(out, true, UTF_8));
        try {
            assertThat(Main.run("aws-emulator", "--help")).isZero();
        } finally {
            System.setOut(original);
        }
        assertThat(out.toString(UTF_8)).contains("--port", "--state", "--account-id", "--admin-access-key-id",
                "--admin-secret-access-key", "--access-key-delay", "--throttle-rate");
    }
}

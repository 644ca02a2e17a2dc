package io.vaultcfg.aws.emulator;

import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code vaultcfg aws-emulator} as a separate process, the way the lab and a person run it. */
class AwsEmulatorCommandTest {
    private static final Pattern CREDENTIALS_LINE = Pattern.compile("credentials \\(mode 0600, profile vaultcfg-emulator\\) in (\\S+)");

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The emulator command in its own JVM, with its combined output collected line by line. */
    private static final class EmulatorProcess implements AutoCloseable {
        final Process process;
        final int port;
        private final List<String> lines = new ArrayList<>();

        EmulatorProcess(Map<String, String> environment, String... options) throws Exception {
            port = freePort();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "aws-emulator", "--port", String.valueOf(port)));
            command.addAll(List.of(options));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().remove(AdminSecret.ENVIRONMENT_VARIABLE);
            builder.environment().putAll(environment);
            process = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
            Thread reader = new Thread(() -> out.lines().forEach(line -> {
                synchronized (lines) {
                    lines.add(line);
                }
            }));
            reader.setDaemon(true);
            reader.start();
            awaitLine(l -> l.contains("listening on http://127.0.0.1:" + port));
        }

        void awaitLine(Predicate<String> wanted) {
            await().atMost(Duration.ofSeconds(20)).until(() -> output().lines().anyMatch(wanted));
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + port);
        }

        /** The command line as other local users see it: /proc/PID/cmdline (what ps prints) and the JDK's view. */
        String commandLineSeenByPs() throws Exception {
            String proc = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline")).replace('\0', ' ');
            assertThat(proc).contains("aws-emulator");
            return proc + " " + String.join(" ", process.info().arguments().orElse(new String[0]));
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void withoutAGivenSecretARandomOneIsWrittenOwnerOnlyAndTheOperatorIsToldWhere(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state.json");
        Path credentials;
        String secret;
        String output;
        try (EmulatorProcess emulator = new EmulatorProcess(Map.of(), "--state", state.toString(), "--log-requests")) {
            emulator.awaitLine(l -> CREDENTIALS_LINE.matcher(l).find());
            Matcher m = CREDENTIALS_LINE.matcher(emulator.output());
            assertThat(m.find()).isTrue();
            credentials = Path.of(m.group(1));
            assertThat(Files.getPosixFilePermissions(credentials)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(credentials.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            String file = Files.readString(credentials);
            assertThat(file).contains("[vaultcfg-emulator]", "aws_access_key_id = test");
            Matcher secretLine = Pattern.compile("aws_secret_access_key = (\\S+)").matcher(file);
            assertThat(secretLine.find()).isTrue();
            secret = secretLine.group(1);
            assertThat(secret).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo("test");

            assertThat(emulator.commandLineSeenByPs()).doesNotContain(secret);
            var admin = new RawAwsHttp(emulator.endpoint(), new AccessKeyPair("test", secret));
            var response = admin.kms("TrentService.CreateKey", "{\"Description\":\"from the command line\"}");
            assertThat(response.statusCode()).isEqualTo(200);
            var oldDefault = new RawAwsHttp(emulator.endpoint(), new AccessKeyPair("test", "test"));
            assertThat(oldDefault.kms("TrentService.ListKeys", "{}").statusCode()).isEqualTo(400);
            emulator.awaitLine(l -> l.contains("kms:CreateKey caller=arn:aws:iam::123456789012:root") && l.endsWith("200 OK"));
            output = emulator.output();
        }
        assertThat(Files.readString(state)).contains("from the command line").doesNotContain(secret);
        assertThat(output).doesNotContain(secret).contains("clear-text lab store");
        assertThat(credentials).as("a generated secret dies with the emulator").doesNotExist();
    }

    @Test
    void theSecretComesFromTheEnvironmentAndNeverAppearsOnTheCommandLine() throws Exception {
        String secret = "env-secret-" + System.nanoTime();
        try (EmulatorProcess emulator = new EmulatorProcess(Map.of(AdminSecret.ENVIRONMENT_VARIABLE, secret),
                "--admin-access-key-id", "AKIAENVADMIN00000001")) {
            assertThat(emulator.commandLineSeenByPs()).doesNotContain(secret).contains("AKIAENVADMIN00000001");
            var admin = new RawAwsHttp(emulator.endpoint(), new AccessKeyPair("AKIAENVADMIN00000001", secret));
            assertThat(admin.kms("TrentService.ListKeys", "{}").statusCode()).isEqualTo(200);
            assertThat(emulator.output()).doesNotContain(secret).doesNotContain("credentials (mode 0600");
        }
    }

    @Test
    void anIamPropagationDelayHidesANewUserFromTheCallsThatNameIt() throws Exception {
        String secret = "env-secret-" + System.nanoTime();
        try (EmulatorProcess emulator = new EmulatorProcess(Map.of(AdminSecret.ENVIRONMENT_VARIABLE, secret),
                "--iam-propagation-delay", "60");
             IamClient iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(emulator.endpoint())
                     .httpClient(UrlConnectionHttpClient.create())
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", secret))).build()) {
            iam.createUser(r -> r.userName("fresh"));
            assertThatThrownBy(() -> iam.createAccessKey(r -> r.userName("fresh"))).isInstanceOf(NoSuchEntityException.class);
        }
    }

    @Test
    void theSecretComesFromAFile(@TempDir Path dir) throws Exception {
        String secret = "file-secret-" + System.nanoTime();
        Path file = dir.resolve("admin-secret");
        Files.writeString(file, secret + "\n");
        try (EmulatorProcess emulator = new EmulatorProcess(Map.of(), "--admin-secret-file", file.toString())) {
            assertThat(emulator.commandLineSeenByPs()).doesNotContain(secret);
            var admin = new RawAwsHttp(emulator.endpoint(), new AccessKeyPair("test", secret));
            assertThat(admin.kms("TrentService.ListKeys", "{}").statusCode()).isEqualTo(200);
            assertThat(emulator.output()).doesNotContain(secret);
        }
    }

    @Test
    void aSecretOnTheCommandLineIsRefusedWithoutBeingEchoed() {
        Captured run = capture(() -> Main.run("aws-emulator", "--port", "0", "--admin-secret-access-key", "hunter2-on-argv"));
        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err).contains("--admin-secret-access-key is refused", AdminSecret.ENVIRONMENT_VARIABLE, "--admin-secret-file");
        assertThat(run.out + run.err).doesNotContain("hunter2-on-argv").doesNotContain("listening");
    }

    @Test
    void anEmptyOrMissingSecretFileIsOneErrorNamingTheFile(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        Captured emptyRun = capture(() -> Main.run("aws-emulator", "--port", "0", "--admin-secret-file", empty.toString()));
        assertThat(emptyRun.exitCode).isEqualTo(1);
        assertThat(emptyRun.err.strip()).isEqualTo("aws-emulator: " + empty + ":1: --admin-secret-file: the first line (the secret) is empty");

        Path missing = dir.resolve("missing");
        Captured missingRun = capture(() -> Main.run("aws-emulator", "--port", "0", "--admin-secret-file", missing.toString()));
        assertThat(missingRun.exitCode).isEqualTo(1);
        assertThat(missingRun.err).contains(missing + ": --admin-secret-file: no such file");
        assertThat(emptyRun.out + missingRun.out).doesNotContain("listening");
    }

    @Test
    void helpDescribesTheOptions() {
        Captured help = capture(() -> Main.run("aws-emulator", "--help"));
        assertThat(help.exitCode).isZero();
        assertThat(help.out).contains("--port", "--state", "--account-id", "--admin-access-key-id",
                "--admin-secret-file", AdminSecret.ENVIRONMENT_VARIABLE, "--credentials-file", "--access-key-delay",
                "--throttle-rate", "--iam-propagation-delay").doesNotContain("--admin-secret-access-key");
    }

    private record Captured(int exitCode, String out, String err) {
    }

    private static Captured capture(java.util.function.IntSupplier run) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true, UTF_8));
        System.setErr(new PrintStream(err, true, UTF_8));
        int code;
        try {
            code = run.getAsInt();
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return new Captured(code, out.toString(UTF_8), err.toString(UTF_8));
    }
}

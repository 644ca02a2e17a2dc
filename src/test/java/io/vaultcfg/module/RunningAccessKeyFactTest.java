package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.testing.CountedCommands;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The running server's access key id, read from its environment by a real dash and bash, with few processes. */
class RunningAccessKeyFactTest {
    static final String KEY_ID = "AKIARUNNINGFACT00001";
    static final String SECRET = "secret-of-the-running-key";

    @TempDir
    Path dir;
    Path standIn;

    @BeforeEach
    void serviceRunningOnAKey() throws IOException, InterruptedException {
        Path units = Files.createDirectories(dir.resolve("units"));
        Files.writeString(dir.resolve("vault.env"), "AWS_ACCESS_KEY_ID=" + KEY_ID + "\nAWS_SECRET_ACCESS_KEY=" + SECRET + "\n");
        Files.writeString(units.resolve("vault.service"), "[Service]\nEnvironmentFile=" + dir.resolve("vault.env")
                + "\nExecStart=/bin/sleep 300\n");
        standIn = Files.createDirectories(dir.resolve("stand-in")).resolve("systemctl");
        try (InputStream in = getClass().getResourceAsStream("/io/vaultcfg/lab/systemctl")) {
            Files.write(standIn, in.readAllBytes());
        }
        Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwx------"));
        assertThat(systemctl("start", "vault").waitFor()).isZero();
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        systemctl("stop", "vault").waitFor(60, TimeUnit.SECONDS);
    }

    Map<String, String> standInEnv() {
        return Map.of("SYSTEMCTL_UNIT_DIRS", dir.resolve("units").toString(), "SYSTEMCTL_STATE_DIR", dir.resolve("state").toString());
    }

    Process systemctl(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("sh", standIn.toString()));
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(standInEnv());
        return builder.start();
    }

    /** systemctl for the main pid, then one sed over its NUL-separated environment: the pid is taken from show's line by the shell. */
    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void readsTheKeyIdWithTwoProcessesAndNeverTheSecret(String shell) throws Exception {
        CountedCommands counted = CountedCommands.in(dir.resolve(shell), "tr", "sed", "head", "cat", "awk", "grep")
                .wrap("systemctl", standIn, System.getenv("PATH"));
        RunningAccessKeyFact fact = new RunningAccessKeyFact("vault");
        ProcessBuilder builder = new ProcessBuilder(shell, "-c", "(" + fact.shell() + ") 2>&1").redirectErrorStream(true);
        builder.environment().putAll(standInEnv());
        builder.environment().put("PATH", counted.path());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(fact.parse(new CommandOutput(process.waitFor(), output))).isEqualTo(new RunningAccessKeyFact.Running(true, Optional.of(KEY_ID)));
        assertThat(output).doesNotContain(SECRET);
        assertThat(counted.counts()).isEqualTo(Map.of("systemctl", 1L, "sed", 1L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void aStoppedServiceHasNoRunningKey(String shell) throws Exception {
        assertThat(systemctl("stop", "vault").waitFor()).isZero();
        RunningAccessKeyFact fact = new RunningAccessKeyFact("vault");
        ProcessBuilder builder = new ProcessBuilder(shell, "-c", "(" + fact.shell() + ") 2>&1").redirectErrorStream(true);
        builder.environment().putAll(standInEnv());
        builder.environment().put("PATH", standIn.getParent() + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(fact.parse(new CommandOutput(process.waitFor(), output))).isEqualTo(RunningAccessKeyFact.Running.UNKNOWN);
    }
}

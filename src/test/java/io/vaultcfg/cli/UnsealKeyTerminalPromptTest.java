package io.vaultcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.secret.UnsealKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --migrate-seal}'s keys asked for on a real pseudo-terminal (Python's {@code pty}, driving a JVM whose stdin,
 * stdout and stderr are the terminal, as an operator's shell would): the prompt appears, each key is typed only once
 * the terminal's echo is off (the driver fails if it never is), none is shown back, and the keys typed are the keys
 * read.
 */
class UnsealKeyTerminalPromptTest {
    @TempDir
    Path dir;

    static List<String> keys(int count) {
        SecureRandom random = new SecureRandom();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[33];
            random.nextBytes(bytes);
            keys.add(Base64.getEncoder().encodeToString(bytes));
        }
        return keys;
    }

    @Test
    void keysTypedAtThePromptAreReadWithoutBeingEchoed() throws Exception {
        List<String> keys = keys(3);

        Terminal run = onPseudoTerminal(keys);

        assertThat(run.exitCode()).as(run.shown()).isZero();
        assertThat(run.shown()).contains("Unseal key 1 (empty to finish): ", "Unseal key 2 (empty to finish): ",
                "Unseal key 3 (empty to finish): ", "Unseal key 4 (empty to finish): ");
        assertThat(run.shown()).contains("keys read: 3, sha256 " + TerminalUnsealKeysMain.digest(UnsealKeys.of(keys)));
        for (String key : keys) {
            assertThat(run.shown()).as("a typed key echoed").doesNotContain(key).doesNotContain(key.substring(0, 8));
        }
    }

    @Test
    void aTypedLineThatIsNoKeyIsRefusedWithoutShowingIt() throws Exception {
        String notAKey = "not a key, " + keys(1).get(0);

        Terminal run = onPseudoTerminal(List.of(notAKey));

        assertThat(run.exitCode()).as(run.shown()).isEqualTo(1);
        assertThat(run.shown()).contains("Unseal key 1 (empty to finish): ", "refused: key 1 is not an unseal key")
                .doesNotContain(notAKey).doesNotContain("not a key");
    }

    record Terminal(int exitCode, String shown) {
    }

    Terminal onPseudoTerminal(List<String> typed) throws IOException, InterruptedException {
        Assumptions.assumeTrue(python3(), "python3 is needed to drive a pseudo-terminal");
        Path driver = dir.resolve("type-unseal-keys.py");
        try (InputStream script = getClass().getResourceAsStream("/terminal/type-unseal-keys.py")) {
            Files.copy(script, driver);
        }
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder("python3", driver.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                TerminalUnsealKeysMain.class.getName()).redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write((String.join("\n", typed) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] shown = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Terminal(process.exitValue(), new String(shown, StandardCharsets.UTF_8));
    }

    static boolean python3() {
        try {
            return new ProcessBuilder("python3", "-c", "import pty, termios").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}

package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seal-status command as a real /bin/sh runs it: each probe, and hostile values staying data. */
class VaultStatusCommandTest {
    @TempDir
    Path dir;

    @Test
    void cliProbeRunsTheBinaryWithTheAddressInTheEnvironment() throws Exception {
        Path vault = fakeVault();
        String out = sh(VaultStatusModule.statusCommand("http://127.0.0.1:8200", Optional.of("/etc/ca.pem"), vault.toString(), "cli"));

        assertThat(out).isEqualTo("status -format=json addr=http://127.0.0.1:8200 ca=/etc/ca.pem\n");
    }

    @Test
    void httpProbeAsksSealStatusWithoutAProxy() {
        String command = VaultStatusModule.statusCommand("https://vault.example:8200/", Optional.empty(), "vault", "http");

        assertThat(command).isEqualTo("curl -sS --noproxy '*' --max-time 10 https://vault.example:8200/v1/sys/seal-status");
    }

    @Test
    void autoProbeFallsBackToTheCliWhenCurlIsMissing() throws Exception {
        Path vault = fakeVault();
        String command = VaultStatusModule.statusCommand("http://127.0.0.1:8200", Optional.empty(), vault.toString(), "auto");

        assertThat(sh(command, "PATH=" + dir)).startsWith("status -format=json addr=http://127.0.0.1:8200");
    }

    @Test
    void valuesNeverBecomeShell() throws Exception {
        Path marker = dir.resolve("pwned");
        String hostile = "http://x/$(touch " + marker + ")`touch " + marker + "`;touch " + marker;
        Path vault = fakeVault();
        sh(VaultStatusModule.statusCommand(hostile, Optional.of("';touch " + marker + ";'"), vault.toString(), "cli"));
        sh(VaultStatusModule.statusCommand(hostile, Optional.empty(), vault.toString(), "http"));

        assertThat(marker).doesNotExist();
    }

    private Path fakeVault() throws Exception {
        Path vault = dir.resolve("vault");
        Files.writeString(vault, "#!/bin/sh\necho \"$* addr=$VAULT_ADDR${VAULT_CACERT:+ ca=$VAULT_CACERT}\"\n");
        vault.toFile().setExecutable(true);
        return vault;
    }

    private static String sh(String command, String... environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true);
        for (String assignment : environment) {
            String[] pair = assignment.split("=", 2);
            builder.environment().put(pair[0], pair[1]);
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out;
    }
}

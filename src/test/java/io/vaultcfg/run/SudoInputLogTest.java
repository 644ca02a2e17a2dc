package io.vaultcfg.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.LocalConnector;
import io.vaultcfg.testing.LocalFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With become, the apply script reaches sudo on its standard input, which sudo's {@code log_input}
 * stores. A sudo stand-in records its input as that log would: the secret must reach vault.env and
 * never the log, neither as it is nor in base64 at any alignment.
 */
class SudoInputLogTest {
    private static final String SECRET = "sudoLogCanarySecret0123456789abcdefABCDE";

    @TempDir
    Path dir;

    @Test
    void theSecretReachesTheHostButNotSudosInputLog() throws IOException {
        LocalFleet fleet = new LocalFleet(dir, List.of("node-1"));
        Path log = dir.resolve("sudo-io.log");
        Path sudo = Files.writeString(dir.resolve("bin/sudo"), "#!/bin/sh\n"
                + "# sudo stand-in: records its standard input, as sudoers' log_input does, then runs the command\n"
                + "while [ $# -gt 0 ]; do case \"$1\" in -n) shift ;; -u) shift 2 ;; --) shift; break ;; *) break ;; esac; done\n"
                + "tee -a '" + log + "' | \"$@\"\n");
        Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path runtime = Files.createDirectories(dir.resolve("run-user"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        Path inventory = fleet.writeInventory(Map.of("vaultcfg_manage_aws", "false", "aws_region", "eu-west-1",
                "kms_key_id", "1234abcd-12ab-34cd-56ef-1234567890ab", "aws_access_key_id", "AKIASUDOLOGTEST00001"));
        Files.writeString(inventory, Files.readString(inventory).replace("ansible_become: \"false\"", "ansible_become: \"true\""));
        LocalConnector connector = new LocalConnector(Set.of(), Map.of("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"),
                "XDG_RUNTIME_DIR", runtime.toString()));

        CliRun apply = CliRun.run(connector, Map.of("VAULTCFG_VAR_aws_secret_access_key", SECRET), "", "apply", inventory.toString());

        assertThat(apply.exitCode()).as(apply.all()).isEqualTo(0);
        assertThat(Files.readString(fleet.envFile("node-1"))).contains("AWS_SECRET_ACCESS_KEY=" + SECRET);
        String recorded = Files.readString(log).replace("\n", "");
        assertThat(recorded).as("the apply script went through sudo").contains("vc_write");
        assertThat(recorded).doesNotContain(SECRET);
        for (String encoded : base64AtEveryAlignment(SECRET)) {
            assertThat(recorded).as("the secret in base64").doesNotContain(encoded);
        }
        try (Stream<Path> left = Files.list(runtime)) {
            assertThat(left).as("the secret input is removed once applied").isEmpty();
        }
        assertThat(apply.all()).doesNotContain(SECRET);
    }

    /** What any base64 stream holding {@code secret} contains, whatever the secret's offset in it. */
    private static List<String> base64AtEveryAlignment(String secret) {
        return Stream.of("", "x", "xy").map(prefix -> {
            String encoded = Base64.getEncoder().encodeToString((prefix + secret).getBytes(StandardCharsets.UTF_8));
            int skip = (prefix.length() * 4 + 2) / 3 + 1;
            return encoded.substring(skip, encoded.length() - 4);
        }).toList();
    }
}

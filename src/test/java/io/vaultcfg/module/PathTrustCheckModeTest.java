package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.LocalFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Check mode refuses exactly what apply refuses: a host whose config directory sits below a directory
 * other users can write is refused in the planning pass, by {@code --check} and by apply alike, and
 * nothing is written there; the other hosts converge.
 */
class PathTrustCheckModeTest {
    private static final String SECRET = "path-trust-secret-2c9e41";

    @TempDir
    Path dir;

    @Test
    void aGroupWritableAncestorIsRefusedByCheckAndApplyAlike() throws IOException {
        LocalFleet fleet = new LocalFleet(dir, List.of("good", "shared"));
        Path etc = fleet.root("shared").resolve("etc");
        Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxrwxr-x"));
        Path inventory = fleet.writeInventory(Map.of("vaultcfg_manage_aws", "false", "aws_region", "eu-west-1",
                "kms_key_id", "1234abcd-12ab-34cd-56ef-1234567890ab", "aws_access_key_id", "AKIAPATHTRUST0000001"));

        CliRun check = CliRun.run(fleet.connector(), Map.of("VAULTCFG_VAR_aws_secret_access_key", SECRET), "",
                "apply", inventory.toString(), "--check");
        String refusal = "refused: " + etc + " is writable by group or others";

        assertThat(check.exitCode()).as(check.all()).isEqualTo(1);
        assertThat(check.stdout()).contains("shared | failed").contains(refusal);

        CliRun apply = CliRun.run(fleet.connector(), Map.of("VAULTCFG_VAR_aws_secret_access_key", SECRET), "",
                "apply", inventory.toString());

        assertThat(apply.exitCode()).as(apply.all()).isEqualTo(1);
        assertThat(apply.stdout()).contains(refusal);
        assertThat(fleet.envFile("shared")).doesNotExist();
        assertThat(fleet.envFile("good")).exists();
        assertThat(check.all() + apply.all()).doesNotContain(SECRET);
    }
}

package io.vaultcfg.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.LocalConnector;
import io.vaultcfg.testing.LocalFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The security review's attacks, through real {@code vaultcfg apply} runs as root: the Vault service
 * user ({@code nobody} here) owns its config directory, and shims in front of the host's tools hand it the
 * moment it needs — right before root's every {@code chown}, {@code chmod}, {@code mv}, {@code base64} and
 * {@code dd} — to swap every entry of that directory for a symlink to a root-only file (or a FIFO, or
 * {@code /dev/zero}). So the race the review won by polling is won every time here.
 */
class HostileServiceUserTest {
    private static final String ATTACKER = "nobody";
    private static final String VICTIM_TEXT = "root:$6$VICTIM-CANARY-41d9:19700:0:99999:7:::\n";
    private static final String SECRET = "hostileServiceUserSecret0123456789abcdef";
    private static final String HOST = "node-1";

    @TempDir
    Path dir;

    private LocalFleet fleet;
    private Path configDir;
    private Path victim;
    private Path inventory;

    @BeforeEach
    void layOut() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "needs root to play root and the service user");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        fleet = new LocalFleet(dir, List.of(HOST));
        configDir = fleet.root(HOST).resolve("etc/vault.d");
        // the layout of many installs, and the worst case: the service user owns its config directory, and
        // the playbook is told to keep it so
        sh("chown " + ATTACKER + ":nogroup " + configDir);
        victim = Files.writeString(dir.resolve("shadow"), VICTIM_TEXT);
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        for (String tool : List.of("chown", "chmod", "mv", "base64", "dd")) {
            shim(tool);
        }
        inventory = fleet.writeInventory(Map.of("vaultcfg_manage_aws", "false", "aws_region", "eu-west-1",
                "kms_key_id", "1234abcd-12ab-34cd-56ef-1234567890ab", "aws_access_key_id", "AKIAHOSTILE000000000"));
        Files.writeString(inventory, Files.readString(inventory)
                .replace("vault_user: \"root\"", "vault_user: \"" + ATTACKER + "\"")
                .replace("vault_group: \"root\"", "vault_group: \"nogroup\"")
                .replace("vault_config_dir_owner: \"root\"\n", "vault_config_dir_owner: \"" + ATTACKER + "\"\n"
                        + "        vault_config_dir_mode: \"0755\"\n"));
        assertThat(Files.readString(inventory)).contains("vault_user: \"" + ATTACKER + "\"");
    }

    @Test
    void repeatedAppliesNeverWriteChownOrChmodAFileOutsideTheConfigDirectory() throws Exception {
        Path attack = attackerScript("rm -rf \"$f\" && ln -s " + victim + " \"$f\"");
        for (int round = 0; round < 6; round++) {
            clearPlantedLinks();
            String accessKeyId = "AKIAHOSTILE00000000" + round; // a new access key id each round: a content change
            CliRun apply = CliRun.run(connector(Map.of("VC_ATTACK", attack.toString())),
                    Map.of("VAULTCFG_VAR_aws_secret_access_key", SECRET), "", "apply", inventory.toString(),
                    "-e", "aws_access_key_id=" + accessKeyId);

            assertThat(apply.all()).doesNotContain(SECRET).doesNotContain("VICTIM-CANARY");
            assertVictimUntouched();
        }
        // without the attacker the same runs converge: the attacks failed, not the writes
        clearPlantedLinks();
        CliRun calm = CliRun.run(connector(Map.of()), Map.of("VAULTCFG_VAR_aws_secret_access_key", SECRET), "",
                "apply", inventory.toString());
        assertThat(calm.exitCode()).as(calm.all()).isZero();
        assertThat(Files.readString(configDir.resolve("vault.env"))).contains("AWS_SECRET_ACCESS_KEY=" + SECRET);
        assertVictimUntouched();
    }

    /** A swap right before each read, during check and diff: nothing of the victim shows, and every run ends. */
    @ParameterizedTest(name = "swapped for {0}")
    @ValueSource(strings = {"a symlink to a root-only file", "a FIFO", "a symlink to /dev/zero"})
    void aSwapDuringCheckAndDiffLeaksNothingAndEnds(String swap) throws Exception {
        CliRun converge = CliRun.run(connector(Map.of()), Map.of("VAULTCFG_VAR_aws_secret_access_key", SECRET), "",
                "apply", inventory.toString());
        assertThat(converge.exitCode()).as(converge.all()).isZero();
        String replace = switch (swap) {
            case "a FIFO" -> "rm -f \"$f\" && mkfifo \"$f\"";
            case "a symlink to /dev/zero" -> "rm -f \"$f\" && ln -s /dev/zero \"$f\"";
            default -> "rm -f \"$f\" && ln -s " + victim + " \"$f\"";
        };
        Path attack = attackerScript(replace);

        CliRun check = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.run(
                connector(Map.of("VC_READ_ATTACK", attack.toString())), Map.of("VAULTCFG_VAR_aws_secret_access_key", SECRET),
                "", "apply", inventory.toString(), "--check", "--diff", "-e", "aws_access_key_id=AKIAHOSTILE000000009"));

        assertThat(check.exitCode()).as(check.all()).isEqualTo(1);
        assertThat(check.stdout()).contains(HOST + " | FAILED", "changed while it was read");
        assertThat(check.all()).doesNotContain("VICTIM-CANARY").doesNotContain(SECRET);
        assertVictimUntouched();
    }

    private void assertVictimUntouched() throws IOException {
        assertThat(Files.isSymbolicLink(victim)).isFalse();
        assertThat(Files.readString(victim)).isEqualTo(VICTIM_TEXT);
        assertThat(Files.getOwner(victim).getName()).isEqualTo("root");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(victim))).isEqualTo("rw-------");
    }

    /** The attacker's move, as the service user: {@code action} on every entry of its directory. */
    private Path attackerScript(String action) throws IOException {
        Path script = dir.resolve("attack-" + Math.abs(action.hashCode()) + ".sh");
        Files.writeString(script, "setpriv --reuid=" + ATTACKER + " --regid=nogroup --clear-groups -- /bin/sh -c '\n"
                + "for f in " + configDir + "/* " + configDir + "/.[!.]*; do\n"
                + "  [ -e \"$f\" ] || [ -L \"$f\" ] || continue\n"
                + "  " + action.replace("'", "'\\''") + "\n"
                + "done' 2>/dev/null || true\n");
        return script;
    }

    /** A tool of the host that first lets the attacker move: writers before they run, {@code dd} before it reads. */
    private void shim(String tool) throws IOException {
        String real = Stream.of("/usr/bin/", "/bin/").map(d -> d + tool).filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst().orElseThrow();
        String hook = tool.equals("dd") ? "VC_READ_ATTACK" : "VC_ATTACK";
        Path file = Files.writeString(dir.resolve("bin").resolve(tool), "#!/bin/sh\n"
                + "if [ -n \"${" + hook + ":-}\" ]; then sh \"$" + hook + "\"; fi\n"
                + "exec " + real + " \"$@\"\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private LocalConnector connector(Map<String, String> attack) {
        Map<String, String> env = new java.util.HashMap<>(attack);
        env.put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        return new LocalConnector(Set.of(), env);
    }

    /** Links the attacker left from an earlier round: a regular file is what makes root write again. */
    private void clearPlantedLinks() throws IOException {
        try (Stream<Path> entries = Files.list(configDir)) {
            for (Path entry : entries.toList()) {
                if (Files.isSymbolicLink(entry) || (!Files.isRegularFile(entry) && !Files.isDirectory(entry))) {
                    Files.delete(entry);
                }
            }
        }
    }

    private static void sh(String command) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("/bin/sh", "-c", command).inheritIO().start().waitFor()).isZero();
    }
}

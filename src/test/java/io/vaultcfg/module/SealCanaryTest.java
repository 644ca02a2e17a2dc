package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.LocalConnector;
import io.vaultcfg.testing.LocalFleet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canaries: the credentials a hand-made seal set-up names (in its env file, inside its stanza) are read, judged and
 * never printed — not in the console with --diff, not in the --report JSON, not in a refusal — on local hosts whose
 * units the systemctl stand-in loads.
 */
class SealCanaryTest {
    static final String ADMIN_KEY = "AKIAADMINEXAMPLE0001";
    static final String ADMIN_SECRET = "admin-secret-for-tests-0123456789abcdef";
    static final String ENV_CANARY = "EnvCanary0000000000000000000000000000000";
    static final String STANZA_CANARY = "StanzaCanary0000000000000000000000000000";

    @TempDir
    Path dir;
    AwsEmulator emulator;
    LocalFleet fleet;
    Path inventory;

    @BeforeEach
    void hosts() throws IOException {
        emulator = AwsEmulator.start(EmulatorOptions.defaults().withAdmin(new AccessKeyPair(ADMIN_KEY, ADMIN_SECRET)));
        System.setProperty("aws.accessKeyId", ADMIN_KEY);
        System.setProperty("aws.secretAccessKey", ADMIN_SECRET);
        fleet = new LocalFleet(dir, List.of("vault-01"));
        inventory = fleet.writeInventory(Map.of("aws_region", "us-east-2", "aws_endpoint_url", emulator.endpoint().toString(),
                "aws_preflight_timeout", "20"));
        try (InputStream standIn = getClass().getResourceAsStream("/io/vaultcfg/lab/systemctl")) {
            Files.write(dir.resolve("bin/systemctl"), standIn.readAllBytes());
        }
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    /** The seed's layout on the host, the stanza given as {@code stanza}. */
    void handMade(String stanza) throws IOException {
        Path root = fleet.root("vault-01");
        Path config = root.resolve("etc/vault.d");
        Files.writeString(root.resolve("etc/systemd/system/vault.service"), "[Service]\nEnvironmentFile=-" + config.resolve("vault.env")
                + "\nExecStart=/usr/bin/vault server -config=" + config.resolve("vault.hcl") + "\n");
        Files.writeString(config.resolve("vault.hcl"), "storage \"raft\" { path = \"/d\" }\n" + stanza);
        Path env = Files.writeString(config.resolve("vault.env"), "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY="
                + ENV_CANARY + "\nAWS_DEFAULT_REGION=us-east-2\n");
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-r--r--"));
    }

    CliRun run(String... extra) {
        Path root = fleet.root("vault-01");
        LocalConnector connector = new LocalConnector(Set.of(), Map.of("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"),
                "SYSTEMCTL_UNIT_DIRS", root.resolve("etc/systemd/system").toString(),
                "SYSTEMCTL_STATE_DIR", dir.resolve("systemctl-state").toString()));
        String[] args = new String[extra.length + 2];
        args[0] = "apply";
        args[1] = inventory.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        return CliRun.run(connector, Map.of(), "", args);
    }

    @Test
    void credentialsInsideTheStanzaAreAFindingThatNeverShowsThem() throws IOException {
        handMade("seal \"awskms\" {\n  region = \"us-east-2\"\n  kms_key_id = \"alias/vault-auto-unseal\"\n"
                + "  access_key = \"AKIAIOSFODNN7EXAMPLE\"\n  secret_key = \"" + STANZA_CANARY + "\"\n}\n");

        CliRun check = run("--check", "--diff", "-v", "--report", dir.resolve("report.json").toString());

        assertThat(check.exitCode()).as(check.all()).isEqualTo(1);
        assertThat(check.stdout()).contains("finding: the seal \"awskms\" stanza at " + fleet.root("vault-01")
                .resolve("etc/vault.d/vault.hcl") + ":2 holds AWS credentials (access_key, secret_key)", "left as they are");
        String everything = check.all() + Files.readString(dir.resolve("report.json"));
        assertThat(everything).doesNotContain(STANZA_CANARY).doesNotContain(ENV_CANARY);
        assertThat(emulator.requestLog().entries()).noneMatch(e -> e.action().startsWith("Create"));
    }

    @Test
    void anAdoptedStanzasEnvFileWhoseKeyAwsRejectsIsRekeyedWithoutShowingItsSecret() throws IOException {
        try (io.vaultcfg.aws.emulator.TestClients aws = new io.vaultcfg.aws.emulator.TestClients(emulator)) {
            String keyId = aws.adminKms().createKey(r -> r.description("by hand")).keyMetadata().keyId();
            aws.adminKms().createAlias(r -> r.aliasName("alias/vault-auto-unseal").targetKeyId(keyId));
        }
        handMade("seal \"awskms\" {\n  region = \"us-east-2\"\n  kms_key_id = \"alias/vault-auto-unseal\"\n}\n");

        CliRun check = run("--check", "--diff", "-v", "--report", dir.resolve("report.json").toString());

        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        assertThat(check.stdout()).contains("adopted as is: seal \"awskms\" at " + fleet.root("vault-01").resolve("etc/vault.d/vault.hcl")
                + ":2 names the planned key", "-AWS_SECRET_ACCESS_KEY=<redacted>");
        String everything = check.all() + Files.readString(dir.resolve("report.json"));
        assertThat(everything).doesNotContain(ENV_CANARY);
    }
}

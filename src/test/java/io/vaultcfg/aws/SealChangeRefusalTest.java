package io.vaultcfg.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.LocalFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another KMS key for an initialized awskms fleet is a seal migration: refused in the planning pass,
 * before any AWS write, with the policy (read back with the AWS CLI) still granting the old key and
 * no host touched.
 */
class SealChangeRefusalTest {
    static final String REGION = ProvisioningScenarios.REGION;
    static final String ADMIN_KEY = ProvisioningScenarios.ADMIN_KEY;
    static final String ADMIN_SECRET = ProvisioningScenarios.ADMIN_SECRET;
    static final String POLICY_ARN = "arn:aws:iam::123456789012:policy/" + ProvisioningScenarios.POLICY;

    @TempDir
    Path dir;
    AwsEmulator emulator;
    LocalFleet fleet;
    Path inventory;

    @BeforeEach
    void start() throws IOException {
        emulator = AwsEmulator.start(EmulatorOptions.defaults().withAdmin(new AccessKeyPair(ADMIN_KEY, ADMIN_SECRET)));
        fleet = new LocalFleet(dir, List.of("vault-01", "vault-02", "vault-03"));
        inventory = fleet.writeInventory(Map.of("aws_region", REGION, "aws_endpoint_url", emulator.endpoint().toString(),
                "aws_preflight_timeout", "20"));
        System.setProperty("aws.accessKeyId", ADMIN_KEY);
        System.setProperty("aws.secretAccessKey", ADMIN_SECRET);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    CliRun vaultcfg(String... args) {
        List<String> full = new ArrayList<>(List.of("apply", inventory.toString()));
        full.addAll(List.of(args));
        return CliRun.run(fleet.connector(), Map.of(), "", full.toArray(String[]::new));
    }

    /** Every file under the hosts' roots with its content, to prove nothing changed. */
    Map<String, String> hostFiles() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir.resolve("hosts"))) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(file.toString(), Files.readString(file) + "|" + Files.getLastModifiedTime(file));
            }
        }
        return files;
    }

    List<RequestLogEntry> writesByAdmin() {
        Set<String> reads = Set.of("Describe", "Get", "List");
        return emulator.requestLog().entries().stream()
                .filter(e -> ADMIN_KEY.equals(e.accessKeyId()))
                .filter(e -> reads.stream().noneMatch(e.action()::startsWith))
                .toList();
    }

    JsonNode awsCli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", emulator.endpoint().toString(), "--output", "json"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
        Map<String, String> env = builder.environment();
        env.put("AWS_CONFIG_FILE", dir.resolve("no-such-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-such-credentials").toString());
        env.put("AWS_ACCESS_KEY_ID", ADMIN_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", ADMIN_SECRET);
        env.put("AWS_DEFAULT_REGION", REGION);
        env.put("AWS_PAGER", "");
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes());
        String err = new String(process.getErrorStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("aws %s: %s", String.join(" ", args), err).isZero();
        return new ObjectMapper().readTree(out);
    }

    static boolean awsCliInstalled() {
        try {
            return new ProcessBuilder("aws", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void anotherAliasOnAnInitializedFleetIsRefusedBeforeAnyAwsWriteAndThePolicyStillGrantsTheOldKey() throws Exception {
        assumeTrue(awsCliInstalled(), "aws CLI not installed");
        CliRun first = vaultcfg();
        assertThat(first.exitCode()).as(first.all()).isZero();
        JsonNode oldKey = awsCli("kms", "describe-key", "--key-id", "alias/vault-auto-unseal");
        String oldArn = oldKey.at("/KeyMetadata/Arn").asText();
        Map<String, String> filesBefore = hostFiles();
        List<String> restartsBefore = restarts(fleet.systemctlCalls());
        emulator.requestLog().clear();

        CliRun typo = vaultcfg("-e", "kms_alias=alias/vault-auto-unseal-typo");

        assertThat(typo.exitCode()).as(typo.all()).isEqualTo(1);
        assertThat(typo.stdout()).contains("vault-01, vault-02, vault-03: seal stanza names KMS key "
                        + oldKey.at("/KeyMetadata/KeyId").asText() + " in " + REGION,
                "a new KMS key (alias/vault-auto-unseal-typo does not exist in " + REGION + ")",
                "seal migration", "stopped before changing anything");
        assertThat(writesByAdmin()).as("AWS writes").isEmpty();
        JsonNode policy = awsCli("iam", "get-policy", "--policy-arn", POLICY_ARN);
        JsonNode version = awsCli("iam", "get-policy-version", "--policy-arn", POLICY_ARN,
                "--version-id", policy.at("/Policy/DefaultVersionId").asText());
        JsonNode document = version.at("/PolicyVersion/Document");
        String documentText = document.isTextual() ? document.asText() : document.toString();
        assertThat(SealPolicyDocument.grantsExactly(documentText, oldArn)).as(documentText).isTrue();
        assertThat(awsCli("kms", "list-aliases").findValuesAsText("AliasName")).doesNotContain("alias/vault-auto-unseal-typo");
        assertThat(hostFiles()).as("no host file changed").isEqualTo(filesBefore);
        assertThat(restarts(fleet.systemctlCalls())).as("no restart").isEqualTo(restartsBefore);

        CliRun check = vaultcfg("--check", "-e", "kms_alias=alias/vault-auto-unseal-typo");
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.stdout()).contains("seal migration");
    }

    @Test
    void anotherRegionOnAnInitializedFleetIsRefusedToo() throws IOException {
        CliRun first = vaultcfg();
        assertThat(first.exitCode()).as(first.all()).isZero();
        Map<String, String> filesBefore = hostFiles();
        emulator.requestLog().clear();

        CliRun moved = vaultcfg("-e", "aws_region=us-west-2");

        assertThat(moved.exitCode()).as(moved.all()).isEqualTo(1);
        assertThat(moved.stdout()).contains("seal stanza names KMS key", "in " + REGION, "seal migration");
        assertThat(writesByAdmin()).isEmpty();
        assertThat(hostFiles()).isEqualTo(filesBefore);
    }

    @Test
    void theSameKeyNamedByArnInTheStanzaIsNoChange() throws IOException {
        CliRun first = vaultcfg();
        assertThat(first.exitCode()).as(first.all()).isZero();
        // an operator who wrote the key's ARN by hand: the same key, so no refusal
        for (String host : fleet.hosts()) {
            Path seal = fleet.root(host).resolve("etc/vault.d/seal-awskms.hcl");
            String content = Files.readString(seal);
            String keyId = content.replaceAll("(?s).*kms_key_id = \"([^\"]+)\".*", "$1");
            Files.writeString(seal, content.replace("\"" + keyId + "\"",
                    "\"arn:aws:kms:" + REGION + ":123456789012:key/" + keyId + "\""));
        }
        CliRun again = vaultcfg();
        assertThat(again.exitCode()).as(again.all()).isZero();
    }

    /** What systemctl was asked to change; reads such as is-active are not changes. */
    private static List<String> restarts(List<String> calls) {
        return calls.stream().filter(call -> call.startsWith("restart") || call.startsWith("start")
                || call.startsWith("daemon-reload")).toList();
    }
}

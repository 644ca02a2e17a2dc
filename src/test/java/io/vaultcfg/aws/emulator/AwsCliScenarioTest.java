package io.vaultcfg.aws.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The runbook a person follows with the real AWS CLI ({@code aws}, v1 or v2) against the emulator: key, rotation,
 * alias, dedicated user, least-privilege policy, access key, then encrypt/decrypt with that user's keys.
 * Skipped when {@code aws} is not installed.
 */
class AwsCliScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;
    private AwsEmulator aws;
    private Path cli;

    @BeforeEach
    void start() throws Exception {
        cli = ExternalTool.onPath("aws").orElse(null);
        assumeTrue(cli != null, "AWS CLI not found on PATH; install it with `pip install awscli` (v1) or the AWS CLI v2 to run this test");
        aws = AwsEmulator.start(EmulatorOptions.defaults());
    }

    @AfterEach
    void stop() {
        if (aws != null) {
            aws.close();
        }
    }

    /** A clean environment: no config files, credentials only from the environment, no pager, no colour. */
    private Map<String, String> environment(String accessKeyId, String secret) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("AWS_CONFIG_FILE", home.resolve("no-such-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-such-credentials").toString());
        env.put("AWS_ACCESS_KEY_ID", accessKeyId);
        env.put("AWS_SECRET_ACCESS_KEY", secret);
        env.put("AWS_DEFAULT_REGION", "us-east-2");
        env.put("AWS_REGION", "us-east-2");
        env.put("AWS_PAGER", "");
        String pyenvVersion = System.getenv("PYENV_VERSION");
        if (pyenvVersion != null) {
            env.put("PYENV_VERSION", pyenvVersion);
        }
        return env;
    }

    private JsonNode awsJson(Map<String, String> env, String... args) throws Exception {
        String out = awsText(env, args);
        return out.isBlank() ? JSON.createObjectNode() : JSON.readTree(out);
    }

    private String awsText(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(cli.toString(), "--endpoint-url", aws.endpoint().toString(), "--output", "json"));
        command.addAll(List.of(args));
        ExternalTool.Result result = ExternalTool.run(command, env, Duration.ofSeconds(60));
        assertThat(result.exitCode()).as("aws %s\n%s", String.join(" ", args), result.describe()).isZero();
        return result.stdout();
    }

    @Test
    void theAutoUnsealRunbookWorksWithTheRealCli() throws Exception {
        Map<String, String> admin = environment("test", "test");

        JsonNode key = awsJson(admin, "kms", "create-key", "--description", "vault auto-unseal");
        String keyId = key.at("/KeyMetadata/KeyId").asText();
        String keyArn = key.at("/KeyMetadata/Arn").asText();
        assertThat(keyArn).isEqualTo("arn:aws:kms:us-east-2:123456789012:key/" + keyId);
        assertThat(key.at("/KeyMetadata/KeySpec").asText()).isEqualTo("SYMMETRIC_DEFAULT");

        awsText(admin, "kms", "enable-key-rotation", "--key-id", keyId);
        assertThat(awsJson(admin, "kms", "get-key-rotation-status", "--key-id", keyId).get("KeyRotationEnabled").asBoolean()).isTrue();
        awsText(admin, "kms", "create-alias", "--alias-name", "alias/vault-unseal", "--target-key-id", keyId);

        JsonNode user = awsJson(admin, "iam", "create-user", "--user-name", "vault-auto-unseal");
        assertThat(user.at("/User/Arn").asText()).isEqualTo("arn:aws:iam::123456789012:user/vault-auto-unseal");

        Path policyFile = home.resolve("policy.json");
        Files.writeString(policyFile, LeastPrivilegeAuthorizationTest.leastPrivilegePolicy(keyArn));
        JsonNode policy = awsJson(admin, "iam", "create-policy", "--policy-name", "vault-kms-unseal",
                "--policy-document", "file://" + policyFile);
        String policyArn = policy.at("/Policy/Arn").asText();
        assertThat(policyArn).isEqualTo("arn:aws:iam::123456789012:policy/vault-kms-unseal");
        awsText(admin, "iam", "attach-user-policy", "--user-name", "vault-auto-unseal", "--policy-arn", policyArn);

        // The CLI URL-decodes and parses the document, so a person sees the JSON they wrote.
        JsonNode version = awsJson(admin, "iam", "get-policy-version", "--policy-arn", policyArn, "--version-id", "v1");
        assertThat(version.at("/PolicyVersion/Document/Statement/0/Action")).hasSize(3);
        assertThat(version.at("/PolicyVersion/Document/Statement/0/Resource").asText()).isEqualTo(keyArn);
        assertThat(version.at("/PolicyVersion/IsDefaultVersion").asBoolean()).isTrue();

        JsonNode accessKey = awsJson(admin, "iam", "create-access-key", "--user-name", "vault-auto-unseal");
        Map<String, String> vault = environment(accessKey.at("/AccessKey/AccessKeyId").asText(),
                accessKey.at("/AccessKey/SecretAccessKey").asText());

        assertThat(awsJson(admin, "sts", "get-caller-identity").get("Arn").asText()).isEqualTo("arn:aws:iam::123456789012:root");
        JsonNode identity = awsJson(vault, "sts", "get-caller-identity");
        assertThat(identity.get("Arn").asText()).isEqualTo("arn:aws:iam::123456789012:user/vault-auto-unseal");
        assertThat(identity.get("Account").asText()).isEqualTo("123456789012");

        Path plaintext = home.resolve("plaintext.bin");
        Files.writeString(plaintext, "unseal me", StandardCharsets.UTF_8);
        String ciphertextB64 = awsText(vault, "kms", "encrypt", "--key-id", "alias/vault-unseal",
                "--plaintext", "fileb://" + plaintext, "--query", "CiphertextBlob", "--output", "text").trim();
        Path ciphertext = home.resolve("ciphertext.bin");
        Files.write(ciphertext, Base64.getDecoder().decode(ciphertextB64));
        JsonNode decrypted = awsJson(vault, "kms", "decrypt", "--ciphertext-blob", "fileb://" + ciphertext);
        assertThat(new String(Base64.getDecoder().decode(decrypted.get("Plaintext").asText()), StandardCharsets.UTF_8))
                .isEqualTo("unseal me");
        assertThat(decrypted.get("KeyId").asText()).isEqualTo(keyArn);

        List<String> denied = new ArrayList<>(List.of(cli.toString(), "--endpoint-url", aws.endpoint().toString(),
                "kms", "schedule-key-deletion", "--key-id", keyId));
        ExternalTool.Result refusal = ExternalTool.run(denied, vault, Duration.ofSeconds(60));
        assertThat(refusal.exitCode()).isNotZero();
        assertThat(refusal.stderr()).contains("AccessDeniedException")
                .contains("is not authorized to perform: kms:ScheduleKeyDeletion on resource: " + keyArn);
    }
}

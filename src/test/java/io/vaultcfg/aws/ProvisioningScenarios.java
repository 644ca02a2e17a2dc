package io.vaultcfg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.LocalFleet;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The shipped playbook, unchanged, provisioning AWS through the real SDK against an emulator, and
 * configuring three local hosts. Subclasses say which emulator.
 */
abstract class ProvisioningScenarios {
    static final String REGION = "us-east-2";
    /** The default names carry the region: IAM names are global, KMS aliases regional. */
    static final String USER = "vault-auto-unseal-us-east-2";
    static final String POLICY = "vault-auto-unseal-us-east-2-kms";
    static final String ADMIN_KEY = "AKIAADMINEXAMPLE0001";
    static final String ADMIN_SECRET = "admin-secret-for-tests-0123456789abcdef";

    @TempDir
    Path dir;
    LocalFleet fleet;
    Path inventory;

    abstract String endpoint();

    abstract void resetAccount() throws Exception;

    @BeforeEach
    void freshAccountAndHosts() throws Exception {
        resetAccount();
        fleet = new LocalFleet(dir, List.of("vault-01", "vault-02", "vault-03"));
        inventory = fleet.writeInventory(Map.of("aws_region", REGION, "aws_endpoint_url", endpoint(),
                "aws_preflight_timeout", "20"));
        System.setProperty("aws.accessKeyId", ADMIN_KEY);
        System.setProperty("aws.secretAccessKey", ADMIN_SECRET);
    }

    CliRun vaultcfg(String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "apply";
        full[1] = inventory.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        return CliRun.run(fleet.connector(), Map.of(), "", full);
    }

    KmsClient kms() {
        return KmsClient.builder().region(Region.of(REGION)).endpointOverride(URI.create(endpoint()))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ADMIN_KEY, ADMIN_SECRET))).build();
    }

    IamClient iam() {
        return IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(URI.create(endpoint()))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ADMIN_KEY, ADMIN_SECRET))).build();
    }

    String heldSecret(String host) throws IOException {
        return HeldCredentials.fromEnvFile(Files.readString(fleet.envFile(host))).orElseThrow().secretAccessKey();
    }

    @Test
    void checkModeOnAnEmptyAccountListsEveryResourceAndCreatesNothing() {
        CliRun check = vaultcfg("--check", "--diff");

        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        assertThat(check.stdout()).contains("would create KMS key", "would create alias alias/vault-auto-unseal",
                "would create IAM user " + USER, "would create policy " + POLICY,
                "would attach policy", "would create access key", "+AWS_ACCESS_KEY_ID=(known after apply)",
                "kms_key_id = \"(known after apply)\"");
        try (IamClient iam = iam(); KmsClient kms = kms()) {
            assertThat(iam.listUsers().users()).isEmpty();
            assertThat(kms.listAliases().aliases()).noneMatch(alias -> alias.aliasName().equals("alias/vault-auto-unseal"));
        }
        for (String host : fleet.hosts()) {
            assertThat(fleet.envFile(host)).doesNotExist();
        }
    }

    @Test
    void firstRunCreatesEverythingAndTheSecondChangesNothing() throws IOException {
        CliRun first = vaultcfg();
        assertThat(first.exitCode()).as(first.all()).isEqualTo(0);

        String keyId;
        String accessKeyId;
        try (IamClient iam = iam(); KmsClient kms = kms()) {
            var key = kms.describeKey(r -> r.keyId("alias/vault-auto-unseal")).keyMetadata();
            keyId = key.keyId();
            assertThat(key.keySpecAsString()).isEqualTo("SYMMETRIC_DEFAULT");
            assertThat(key.keyUsageAsString()).isEqualTo("ENCRYPT_DECRYPT");
            assertThat(key.arn()).contains(":" + REGION + ":");
            assertThat(kms.getKeyRotationStatus(r -> r.keyId(key.keyId())).keyRotationEnabled()).isTrue();

            assertThat(iam.getUser(r -> r.userName(USER)).user()).isNotNull();
            assertThat(org.assertj.core.api.Assertions.catchThrowable(
                    () -> iam.getLoginProfile(r -> r.userName(USER)))).isInstanceOf(NoSuchEntityException.class);
            var attached = iam.listAttachedUserPolicies(r -> r.userName(USER)).attachedPolicies();
            assertThat(attached).singleElement().satisfies(p -> assertThat(p.policyName()).isEqualTo(POLICY));
            var policy = iam.getPolicy(r -> r.policyArn(attached.get(0).policyArn())).policy();
            String document = iam.getPolicyVersion(r -> r.policyArn(policy.arn()).versionId(policy.defaultVersionId()))
                    .policyVersion().document();
            assertThat(SealPolicyDocument.grantsExactly(document, key.arn())).as(SealPolicyDocument.decode(document)).isTrue();
            var keys = iam.listAccessKeys(r -> r.userName(USER)).accessKeyMetadata();
            assertThat(keys).hasSize(1);
            accessKeyId = keys.get(0).accessKeyId();
        }
        for (String host : fleet.hosts()) {
            String env = Files.readString(fleet.envFile(host));
            assertThat(env).contains("AWS_ACCESS_KEY_ID=" + accessKeyId, "AWS_DEFAULT_REGION=" + REGION);
            assertThat(Files.readString(fleet.root(host).resolve("etc/vault.d/seal-awskms.hcl"))).contains("kms_key_id = \"" + keyId + "\"");
            assertThat(first.all()).doesNotContain(heldSecret(host));
        }

        CliRun second = vaultcfg();
        assertThat(second.exitCode()).as(second.all()).isEqualTo(0);
        assertThat(second.stdout()).contains("controller | ok      | KMS key, IAM user, least-privilege policy and access key: in sync");
        assertThat(second.stdout()).doesNotContain("| changed |");
        for (String host : fleet.hosts()) {
            assertThat(second.stdout()).containsPattern(host + " +: ok=7 changed=0 unreachable=0 failed=0");
        }
        try (IamClient iam = iam()) {
            assertThat(iam.listAccessKeys(r -> r.userName(USER)).accessKeyMetadata())
                    .extracting(k -> k.accessKeyId()).containsExactly(accessKeyId);
        }

        CliRun check = vaultcfg("--check");
        assertThat(check.exitCode()).as(check.all()).isEqualTo(0);
        // by default the hosts in sync are one count; the controller's lines (account, notes) stay
        assertThat(check.stdout()).contains("\n3 hosts in sync\n").containsPattern("controller \\| ok +\\| .*: AWS account ")
                .doesNotContainPattern("vault-0\\d +\\| ");
    }

    @Test
    void rotateAccessKeyMovesEveryHostToANewKeyAndDeletesTheOldOnePastItsGracePeriod() throws IOException {
        assertThat(vaultcfg().exitCode()).isZero();
        HeldCredentials old = HeldCredentials.fromEnvFile(Files.readString(fleet.envFile("vault-01"))).orElseThrow();

        CliRun rotation = CliRun.run(fleet.connector(), Map.of(), "", "rotate-access-key", inventory.toString());

        assertThat(rotation.exitCode()).as(rotation.all()).isZero();
        HeldCredentials fresh = HeldCredentials.fromEnvFile(Files.readString(fleet.envFile("vault-01"))).orElseThrow();
        assertThat(fresh.accessKeyId()).isNotEqualTo(old.accessKeyId());
        for (String host : fleet.hosts()) {
            assertThat(heldSecret(host)).isEqualTo(fresh.secretAccessKey());
        }
        assertThat(rotation.all()).doesNotContain(fresh.secretAccessKey());
        try (IamClient iam = iam()) {
            assertThat(iam.listAccessKeys(r -> r.userName(USER)).accessKeyMetadata())
                    .extracting(k -> k.accessKeyId() + "=" + k.statusAsString())
                    .containsExactlyInAnyOrder(fresh.accessKeyId() + "=Active", old.accessKeyId() + "=Inactive");
            String eightDaysAgo = java.time.Instant.now().minus(java.time.Duration.ofDays(8))
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            iam.tagUser(r -> r.userName(USER).tags(t -> t.key(AccessKeyTags.DEACTIVATED_PREFIX + old.accessKeyId())
                    .value(eightDaysAgo)));
        }

        CliRun later = CliRun.run(fleet.connector(), Map.of(), "", "rotate-access-key", inventory.toString(), "--older-than", "30");

        assertThat(later.exitCode()).as(later.all()).isZero();
        assertThat(later.stdout()).contains("delete access key " + old.accessKeyId(), "no rotation due");
        try (IamClient iam = iam()) {
            assertThat(iam.listAccessKeys(r -> r.userName(USER)).accessKeyMetadata()).extracting(k -> k.accessKeyId())
                    .containsExactly(fresh.accessKeyId());
        }
    }
}

package io.vaultcfg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.CountingConnector;
import java.util.Map;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;

/** The provisioning scenarios against vaultcfg's own emulator, which also enforces IAM and keeps a request log. */
class EmulatorProvisioningTest extends ProvisioningScenarios {
    static final Set<String> READ_PREFIXES = Set.of("Describe", "Get", "List");
    AwsEmulator emulator;

    @Override
    String endpoint() {
        return emulator.endpoint().toString();
    }

    @Override
    void resetAccount() throws IOException {
        emulator = AwsEmulator.start(EmulatorOptions.defaults().withAdmin(new AccessKeyPair(ADMIN_KEY, ADMIN_SECRET)));
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    List<RequestLogEntry> writesByAdmin() {
        return emulator.requestLog().entries().stream()
                .filter(e -> ADMIN_KEY.equals(e.accessKeyId()))
                .filter(e -> READ_PREFIXES.stream().noneMatch(e.action()::startsWith))
                .toList();
    }

    CliRun applied() {
        CliRun run = vaultcfg();
        assertThat(run.exitCode()).as(run.all()).isZero();
        return run;
    }

    @Test
    void withMoreHostsThanForksAtMostForksConnectionsAreOpenAndOnlyChangedHostsReconnect() {
        CountingConnector counting = new CountingConnector(fleet.connector());
        CliRun first = CliRun.run(counting, Map.of(), "", "apply", inventory.toString(), "-f", "1");
        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(counting.mostOpenAtOnce()).isEqualTo(1);
        assertThat(fleet.hosts()).allSatisfy(host -> assertThat(counting.connects(host))
                .as("facts, then a new connection for the changes").isEqualTo(2));

        CountingConnector again = new CountingConnector(fleet.connector());
        CliRun second = CliRun.run(again, Map.of(), "", "apply", inventory.toString(), "-f", "2");
        assertThat(second.exitCode()).as(second.all()).isZero();
        assertThat(second.stdout()).contains("changed=0");
        assertThat(again.mostOpenAtOnce()).isLessThanOrEqualTo(2);
        assertThat(fleet.hosts()).allSatisfy(host -> assertThat(again.connects(host)).as("in sync: no reconnect").isEqualTo(1));
    }

    @Test
    void aSecondRunMakesNoAwsWriteAndChecksOnlyRead() {
        applied();
        emulator.requestLog().clear();

        CliRun second = applied();
        assertThat(writesByAdmin()).as("AWS writes in the second run").isEmpty();
        assertThat(second.stdout()).doesNotContain("| changed |");

        CliRun check = vaultcfg("--check");
        assertThat(check.exitCode()).isZero();
        assertThat(writesByAdmin()).isEmpty();
    }

    @Test
    void checkModeOnAnEmptyAccountMakesOnlyReadCalls() {
        assertThat(vaultcfg("--check").exitCode()).isEqualTo(2);
        assertThat(emulator.requestLog().entries()).isNotEmpty();
        assertThat(writesByAdmin()).isEmpty();
    }

    @Test
    void driftIsDetectedInCheckModeAndRepairedByApply() throws IOException {
        applied();
        String keyId;
        try (KmsClient kms = kms(); IamClient iam = iam()) {
            keyId = kms.describeKey(r -> r.keyId("alias/vault-auto-unseal")).keyMetadata().keyId();
            kms.disableKeyRotation(r -> r.keyId(keyId));
            String policyArn = "arn:aws:iam::123456789012:policy/" + POLICY;
            iam.createPolicyVersion(r -> r.policyArn(policyArn).setAsDefault(true).policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}"));
            String extra = iam.createPolicy(r -> r.policyName("extra").policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"))
                    .policy().arn();
            iam.attachUserPolicy(r -> r.userName(USER).policyArn(extra));
            iam.createLoginProfile(r -> r.userName(USER).password("Console-Passw0rd!"));
        }

        CliRun check = vaultcfg("--check");
        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        assertThat(check.stdout()).contains("would turn key rotation back on", "would restore least-privilege document",
                "would remove console login", "also has policy arn:aws:iam::123456789012:policy/extra attached");

        CliRun exclusive = vaultcfg("-e", "iam_exclusive=true");
        assertThat(exclusive.exitCode()).as(exclusive.all()).isZero();
        try (KmsClient kms = kms(); IamClient iam = iam()) {
            assertThat(kms.getKeyRotationStatus(r -> r.keyId(keyId)).keyRotationEnabled()).isTrue();
            assertThat(iam.listAttachedUserPolicies(r -> r.userName(USER)).attachedPolicies())
                    .extracting(p -> p.policyName()).containsExactly(POLICY);
            var policy = iam.getPolicy(r -> r.policyArn("arn:aws:iam::123456789012:policy/" + POLICY)).policy();
            String document = iam.getPolicyVersion(r -> r.policyArn(policy.arn()).versionId(policy.defaultVersionId()))
                    .policyVersion().document();
            assertThat(SealPolicyDocument.grantsExactly(document, kms.describeKey(r -> r.keyId(keyId)).keyMetadata().arn())).isTrue();
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> iam.getLoginProfile(r -> r.userName(USER))))
                    .isNotNull();
        }
        assertThat(vaultcfg("--check").exitCode()).isZero();
    }

    @Test
    void aTamperedSecretOnOneHostIsCaughtByCheckAndRepairedWithoutANewKey() throws IOException {
        applied();
        String good = Files.readString(fleet.envFile("vault-02"));
        Files.writeString(fleet.envFile("vault-02"), good.replaceAll("AWS_SECRET_ACCESS_KEY=.*", "AWS_SECRET_ACCESS_KEY=tampered"));
        emulator.requestLog().clear();

        CliRun check = vaultcfg("--check", "--diff");
        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        assertThat(check.stdout()).contains("vault-02", "with a secret AWS rejects", "-AWS_SECRET_ACCESS_KEY=<redacted>");
        assertThat(check.stdout()).containsPattern("vault-01 *: ok=7 changed=0");

        CliRun repair = applied();
        assertThat(Files.readString(fleet.envFile("vault-02"))).isEqualTo(good);
        assertThat(writesByAdmin()).as("no new key, no AWS write").isEmpty();
        assertThat(repair.stdout()).containsPattern("vault-02 *: ok=\\d+ changed=[1-9]").containsPattern("vault-03 *: ok=7 changed=0");
        assertThat(check.all() + repair.all()).doesNotContain(heldSecret("vault-01"), "tampered");
    }

    @Test
    void twoKeysHeldByDifferentHostsAndNoneWorkingStopsWithNothingDeleted() throws IOException {
        applied();
        String firstKey;
        String secondKey;
        try (IamClient iam = iam()) {
            firstKey = iam.listAccessKeys(r -> r.userName(USER)).accessKeyMetadata().get(0).accessKeyId();
            secondKey = iam.createAccessKey(r -> r.userName(USER)).accessKey().accessKeyId();
        }
        Files.writeString(fleet.envFile("vault-01"), "AWS_ACCESS_KEY_ID=" + firstKey + "\nAWS_SECRET_ACCESS_KEY=wrong-one\n");
        Files.writeString(fleet.envFile("vault-02"), "AWS_ACCESS_KEY_ID=" + secondKey + "\nAWS_SECRET_ACCESS_KEY=wrong-two\n");
        Files.writeString(fleet.envFile("vault-03"), "AWS_ACCESS_KEY_ID=" + secondKey + "\nAWS_SECRET_ACCESS_KEY=wrong-two\n");

        CliRun run = vaultcfg();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).contains("already has 2 keys", "stopped before changing anything");
        try (IamClient iam = iam()) {
            assertThat(iam.listAccessKeys(r -> r.userName(USER)).accessKeyMetadata())
                    .extracting(k -> k.accessKeyId()).containsExactlyInAnyOrder(firstKey, secondKey);
        }
        assertThat(Files.readString(fleet.envFile("vault-01"))).contains("wrong-one");
    }

    @Test
    void aHostCannotMakeOrdinaryWordsDisappearFromTheOutput() throws IOException {
        applied();
        String good = Files.readString(fleet.envFile("vault-01"));
        // What a compromised host could write to blank out other hosts' results in every message.
        Files.writeString(fleet.envFile("vault-02"), good.replaceAll("AWS_SECRET_ACCESS_KEY=.*", "AWS_SECRET_ACCESS_KEY=unsealed"));
        Files.writeString(fleet.envFile("vault-03"), good.replaceAll("AWS_SECRET_ACCESS_KEY=.*", "AWS_SECRET_ACCESS_KEY=sync"));

        CliRun check = vaultcfg("--check", "--diff", "-v");

        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        assertThat(check.stdout()).contains("vault-02: hold access key", "with a secret AWS rejects",
                "Vault is up and unsealed: unsealed (seal type awskms", "vault.env in sync",
                "-AWS_SECRET_ACCESS_KEY=<redacted>");
        assertThat(check.stdout().replace("AWS_SECRET_ACCESS_KEY=<redacted>", "")).doesNotContain("<redacted>");
    }

    @Test
    void aWellFormedSecretReadFromAHostIsRedactedWhereverItShows() throws IOException {
        applied();
        String good = Files.readString(fleet.envFile("vault-02"));
        String spaced = "Spaced0secret0read0from0vault0two0000000";
        String commented = "Commented/secret+read/from/vault/three00";
        // A stray space inside the quotes: the value is not a key, but the key in it must not show in a diff.
        Files.writeString(fleet.envFile("vault-02"),
                good.replaceAll("AWS_SECRET_ACCESS_KEY=.*", "AWS_SECRET_ACCESS_KEY=\" " + spaced + "\""));
        Files.writeString(fleet.envFile("vault-03"),
                good.replaceAll("AWS_SECRET_ACCESS_KEY=.*", "AWS_SECRET_ACCESS_KEY=" + commented + "\n# previous: " + commented));

        CliRun check = vaultcfg("--check", "--diff");

        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        assertThat(check.stdout()).contains("-# previous: <redacted>");
        assertThat(check.all()).doesNotContain(spaced, commented, heldSecret("vault-01"));
    }
}

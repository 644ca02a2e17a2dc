package io.vaultcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultcfg.aws.DefaultSealNames;
import io.vaultcfg.aws.SealPolicyDocument;
import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.testing.AuditedHosts;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.JUnitXml;
import io.vaultcfg.testing.JUnitXml.Case;
import io.vaultcfg.testing.JUnitXml.Outcome;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * {@code vaultcfg audit} with its AWS half against the emulator: the seed's set-up passes (exit 0), an AWS practice
 * broken by hand is the controller's finding (exit 2) beside the hosts' rows, a key pending deletion an error (exit 1)
 * naming the command that cancels it; the JSON and JUnit XML reports parse, agree and hold no secret. With
 * {@code vaultcfg_manage_aws: false}, what the credentials may not read is "not checked".
 */
class AuditAwsCommandTest {
    static final String REGION = "us-east-2";
    static final String ADMIN_KEY = "AKIAADMINEXAMPLE0001";
    static final String ADMIN_SECRET = "admin-secret-for-tests-0123456789abcdef";
    static final String ALIAS = "alias/vault-auto-unseal";
    static final String USER = DefaultSealNames.user(ALIAS, REGION);
    static final String PLAY = "Audit Vault AWS KMS auto-unseal on the hosts";
    static final String AWS_TASK = "AWS: KMS key, IAM user, policy and access key";

    @TempDir
    Path dir;
    AwsEmulator emulator;
    KmsClient kms;
    IamClient iam;
    KeyMetadata key;
    AccessKey held;
    AuditedHosts fleet;

    @BeforeEach
    void seedSetUpAndHosts() throws IOException {
        emulator = AwsEmulator.start(EmulatorOptions.defaults().withAdmin(new AccessKeyPair(ADMIN_KEY, ADMIN_SECRET)));
        StaticCredentialsProvider admin = StaticCredentialsProvider.create(AwsBasicCredentials.create(ADMIN_KEY, ADMIN_SECRET));
        URI endpoint = emulator.endpoint();
        kms = KmsClient.builder().region(Region.of(REGION)).endpointOverride(endpoint).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(admin).build();
        iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(endpoint).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(admin).build();
        key = kms.createKey(r -> r.description("vault")).keyMetadata();
        kms.enableKeyRotation(r -> r.keyId(key.keyId()));
        kms.createAlias(r -> r.aliasName(ALIAS).targetKeyId(key.keyId()));
        iam.createUser(r -> r.userName(USER));
        String policy = iam.createPolicy(r -> r.policyName(DefaultSealNames.policy(ALIAS, REGION))
                .policyDocument(SealPolicyDocument.forKey(key.arn()))).policy().arn();
        iam.attachUserPolicy(r -> r.userName(USER).policyArn(policy));
        held = iam.createAccessKey(r -> r.userName(USER)).accessKey();
        Files.writeString(dir.resolve("credentials"), "[admin]\naws_access_key_id = " + ADMIN_KEY + "\naws_secret_access_key = "
                + ADMIN_SECRET + "\n");
        fleet = new AuditedHosts(dir);
        fleet.allVars("aws_region: " + REGION, "aws_endpoint_url: " + endpoint, "aws_profile: admin",
                "aws_shared_credentials_file: " + dir.resolve("credentials"));
        for (String host : List.of("vault-1", "vault-2")) {
            fleet.host(host, "rw-------", AuditedHosts.UNSEALED_AWSKMS, key.keyId());
            Files.writeString(fleet.config(host).resolve("vault.env"), "AWS_ACCESS_KEY_ID=" + held.accessKeyId()
                    + "\nAWS_SECRET_ACCESS_KEY=" + held.secretAccessKey() + "\nAWS_REGION=" + REGION + "\n");
        }
    }

    @AfterEach
    void stop() {
        kms.close();
        iam.close();
        emulator.close();
    }

    CliRun audit() {
        List<String> args = new ArrayList<>(List.of("audit", fleet.inventory().toString(), "--report",
                dir.resolve("audit.json").toString(), "--junit", dir.resolve("audit.xml").toString()));
        return CliRun.run(fleet.connector(Set.of()), Map.of(), "", args.toArray(String[]::new));
    }

    /** Both reports parse (JUnit with a real XML parser), agree, and hold none of the secrets of the run. */
    List<Case> reports(CliRun run) throws IOException {
        List<Case> cases = JUnitXml.read(dir.resolve("audit.xml"));
        assertThat(PipelineReportsTest.casesCalledFor(dir.resolve("audit.json"))).containsExactlyInAnyOrderElementsOf(
                cases.stream().map(c -> c.classname() + " " + c.name() + " " + c.outcome()).toList());
        String everything = run.all() + Files.readString(dir.resolve("audit.json")) + Files.readString(dir.resolve("audit.xml"));
        assertThat(everything).doesNotContain(ADMIN_SECRET).doesNotContain(held.secretAccessKey());
        return cases;
    }

    @Test
    void theSeedsSetUpPassesOnAwsAndOnEveryHostWithExitZeroReadingOnly() throws IOException {
        emulator.requestLog().clear();

        CliRun run = audit();

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.stdout()).containsPattern("controller +" + AWS_TASK + " +ok +the seal stanzas name one KMS key: 2 hosts name "
                        + key.arn())
                .containsPattern("controller +" + AWS_TASK + " +ok +IAM user has at most one active access key: "
                        + held.accessKeyId() + " is the only active key")
                .containsPattern("vault-2 +the seal's systemd drop-in is loaded +ok ")
                .contains("0 findings, 0 errors (exit code 0: every check passed).");
        List<Case> cases = reports(run);
        assertThat(cases).extracting(Case::outcome).containsOnly(Outcome.PASSED);
        assertThat(cases).filteredOn(c -> c.classname().equals(PLAY + "/controller")).hasSize(14);
        assertThat(emulator.requestLog().entries()).extracting(RequestLogEntry::action)
                .allSatisfy(action -> assertThat(action).matches("(Describe|Get|List).*"));
    }

    @Test
    void anAwsPracticeBrokenByHandIsAFindingExitTwoAndTheHostsAreStillAudited() throws IOException {
        iam.createLoginProfile(r -> r.userName(USER).password("Console-Password-1!"));
        iam.createGroup(r -> r.groupName("ops"));
        iam.addUserToGroup(r -> r.groupName("ops").userName(USER));

        CliRun run = audit();

        assertThat(run.exitCode()).as(run.all()).isEqualTo(2);
        assertThat(run.stdout()).containsPattern("controller +" + AWS_TASK + " +FINDING +finding: IAM user has no console login: "
                        + USER + " has a console password .*aws iam delete-login-profile --user-name " + USER)
                .containsPattern("controller +" + AWS_TASK + " +FINDING +finding: IAM user is in no IAM group: " + USER + " is in ops")
                .containsPattern("vault-1 +Vault is unsealed on the awskms seal +ok ")
                .contains("2 findings, 0 errors (exit code 2: findings).");
        List<Case> cases = reports(run);
        assertThat(cases).filteredOn(c -> c.outcome() != Outcome.PASSED).extracting(Case::classname, Case::outcome, Case::type)
                .containsExactly(tuple(PLAY + "/controller", Outcome.FAILURE, "finding"), tuple(PLAY + "/controller", Outcome.FAILURE, "finding"));
        JsonNode report = new ObjectMapper().readTree(dir.resolve("audit.json").toFile());
        assertThat(report.get("mode").asText()).isEqualTo("check");
    }

    @Test
    void aKeyPendingDeletionIsAnErrorExitOneNamingTheCommandThatCancelsIt() throws IOException {
        kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7));

        CliRun run = audit();

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stdout()).containsPattern("controller +" + AWS_TASK + " +ERROR +KMS key is enabled, not pending deletion: "
                        + key.keyId() + " is pending deletion .*aws kms cancel-key-deletion --region " + REGION + " --key-id " + key.keyId())
                .containsPattern("vault-1 +Vault is unsealed on the awskms seal +ok ")
                .contains("0 findings, 1 error (exit code 1: ");
        assertThat(reports(run)).filteredOn(c -> c.outcome() == Outcome.ERROR).extracting(Case::classname)
                .containsExactly(PLAY + "/controller");
        assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().keyStateAsString()).isEqualTo("PendingDeletion");
    }

    @Test
    void withoutManagingAwsWhatTheCredentialsMayNotReadIsNotCheckedAndNoCredentialsAtAllIsNoError() throws IOException {
        iam.createUser(r -> r.userName("auditor"));
        iam.putUserPolicy(r -> r.userName("auditor").policyName("kms-read").policyDocument("{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"kms:DescribeKey\",\"kms:GetKeyRotationStatus\",\"iam:GetUser\"],"
                + "\"Resource\":\"*\"}]}"));
        AccessKey auditor = iam.createAccessKey(r -> r.userName("auditor")).accessKey();
        Files.writeString(dir.resolve("credentials"), "[auditor]\naws_access_key_id = " + auditor.accessKeyId()
                + "\naws_secret_access_key = " + auditor.secretAccessKey() + "\n");
        fleet.allVars("aws_region: " + REGION, "aws_endpoint_url: " + emulator.endpoint(), "aws_profile: auditor",
                "aws_shared_credentials_file: " + dir.resolve("credentials"), "vaultcfg_manage_aws: false");

        CliRun run = audit();

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.stdout()).containsPattern("controller +" + AWS_TASK + " +ok +KMS key rotation is on")
                .containsPattern("controller +" + AWS_TASK + " +skipped +IAM user is in no IAM group: not checked: the audit's "
                        + "credentials may not call iam:ListGroupsForUser \\(AccessDenied\\)");
        assertThat(reports(run)).filteredOn(c -> c.outcome() == Outcome.SKIPPED).isNotEmpty();
        assertThat(run.all()).doesNotContain(auditor.secretAccessKey());

        fleet.allVars("aws_region: " + REGION, "aws_endpoint_url: " + emulator.endpoint(), "aws_profile: nobody",
                "aws_shared_credentials_file: " + dir.resolve("credentials"), "vaultcfg_manage_aws: false");
        CliRun without = audit();
        assertThat(without.exitCode()).as(without.all()).isZero();
        assertThat(without.stdout()).containsPattern("controller +" + AWS_TASK + " +skipped +AWS not checked: .*"
                + "\\(vaultcfg_manage_aws: false\\)");

        fleet.allVars("aws_region: " + REGION, "aws_endpoint_url: " + emulator.endpoint(), "aws_profile: nobody",
                "aws_shared_credentials_file: " + dir.resolve("credentials"));
        CliRun managed = audit();
        assertThat(managed.exitCode()).as("managing AWS, credentials that do not work are an error: " + managed.all()).isEqualTo(1);
        assertThat(managed.stdout()).containsPattern("controller +" + AWS_TASK + " +ERROR +AWS could not be audited: ");
    }
}

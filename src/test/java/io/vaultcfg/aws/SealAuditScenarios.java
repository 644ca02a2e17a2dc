package io.vaultcfg.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * {@code vaultcfg audit}'s AWS checks through the real SDK against an emulator (subclasses say which): a set-up that
 * follows the seed passes every check; each practice broken by hand is that check's finding (or error), and nothing
 * else is.
 */
abstract class SealAuditScenarios {
    static final String REGION = "us-east-2";
    static final String ADMIN_KEY = "AKIAADMINEXAMPLE0001";
    static final String ADMIN_SECRET = "admin-secret-for-tests-0123456789abcdef";
    static final String ALIAS = "alias/vault-auto-unseal";
    static final String USER = DefaultSealNames.user(ALIAS, REGION);
    static final String POLICY = DefaultSealNames.policy(ALIAS, REGION);

    @TempDir
    Path dir;
    AwsClients clients;
    KmsClient kms;
    IamClient iam;
    KeyMetadata key;
    String policyArn;
    String accessKeyId;

    abstract String endpoint();

    abstract void resetAccount() throws Exception;

    /** Whether the emulator makes keys other than SYMMETRIC_DEFAULT. */
    abstract boolean makesAsymmetricKeys();

    @BeforeEach
    void seedSetUp() throws Exception {
        resetAccount();
        System.setProperty("aws.accessKeyId", ADMIN_KEY);
        System.setProperty("aws.secretAccessKey", ADMIN_SECRET);
        clients = clients(Optional.empty());
        StaticCredentialsProvider admin = StaticCredentialsProvider.create(AwsBasicCredentials.create(ADMIN_KEY, ADMIN_SECRET));
        kms = KmsClient.builder().region(Region.of(REGION)).endpointOverride(URI.create(endpoint()))
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(admin).build();
        iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(URI.create(endpoint()))
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(admin).build();
        // the seed's steps 1-5
        key = kms.createKey(r -> r.description("vault").keySpec("SYMMETRIC_DEFAULT").keyUsage("ENCRYPT_DECRYPT")).keyMetadata();
        kms.enableKeyRotation(r -> r.keyId(key.keyId()));
        kms.createAlias(r -> r.aliasName(ALIAS).targetKeyId(key.keyId()));
        iam.createUser(r -> r.userName(USER));
        policyArn = iam.createPolicy(r -> r.policyName(POLICY).policyDocument(SealPolicyDocument.forKey(key.arn()))).policy().arn();
        iam.attachUserPolicy(r -> r.userName(USER).policyArn(policyArn));
        accessKeyId = iam.createAccessKey(r -> r.userName(USER)).accessKey().accessKeyId();
    }

    AwsClients clients(Optional<String> profile) {
        return new AwsClients(new AwsSettings(REGION, profile, profile.map(p -> dir.resolve("credentials")), Optional.empty(),
                Optional.of(URI.create(endpoint())), Duration.ofSeconds(20)));
    }

    @AfterEach
    void close() {
        clients.close();
        kms.close();
        iam.close();
    }

    Map<String, SealStanza> stanzas(String keyName) {
        return Map.of("vault-01", new SealStanza(keyName, REGION), "vault-02", new SealStanza(keyName, REGION));
    }

    List<AuditLine> audit(Map<String, SealStanza> stanzas, Instant now) {
        return new SealAudit(clients).audit(new SealAudit.Target(REGION, ALIAS, List.of(USER, DefaultSealNames.LEGACY_USER),
                POLICY, false, stanzas, Set.of(accessKeyId)), now);
    }

    List<AuditLine> audit() {
        return audit(stanzas(key.keyId()), Instant.now());
    }

    /** Every line but {@code check} is ok; that one has {@code result}; returns its detail. */
    static String onlyNotOk(List<AuditLine> lines, String check, AuditLine.Result result) {
        assertThat(lines).filteredOn(line -> line.result() != AuditLine.Result.OK).as(lines.toString())
                .extracting(AuditLine::check, AuditLine::result).containsExactly(org.assertj.core.groups.Tuple.tuple(check, result));
        return lines.stream().filter(line -> line.check().equals(check)).findFirst().orElseThrow().detail();
    }

    @Test
    void theSeedsSetUpPassesEveryCheck() {
        List<AuditLine> lines = audit();

        assertThat(lines).extracting(AuditLine::result).as(lines.toString()).containsOnly(AuditLine.Result.OK);
        assertThat(lines).extracting(AuditLine::check).containsExactly(KeyAudit.ONE_KEY, UserAudit.EXISTS, KeyAudit.SYMMETRIC,
                KeyAudit.ENABLED, KeyAudit.ROTATION, KeyAudit.REGION, KeyAudit.KEY_POLICY, UserAudit.CONSOLE, UserAudit.GROUPS,
                UserAudit.INLINE, UserAudit.MANAGED, UserAudit.EXACT, UserAudit.ONE_KEY, UserAudit.KEY_AGE);
        assertThat(audit(stanzas(key.arn()), Instant.now())).as("named by ARN").extracting(AuditLine::result)
                .containsOnly(AuditLine.Result.OK);
    }

    @Test
    void rotationOffIsAFinding() {
        kms.disableKeyRotation(r -> r.keyId(key.keyId()));

        assertThat(onlyNotOk(audit(), KeyAudit.ROTATION, AuditLine.Result.FINDING))
                .contains("aws kms enable-key-rotation --region us-east-2 --key-id " + key.keyId());
    }

    @Test
    void aKeyPendingDeletionIsAnErrorNamingTheCommandThatCancelsIt() {
        kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7));

        List<AuditLine> lines = audit();

        assertThat(lines).filteredOn(line -> line.check().equals(KeyAudit.ENABLED)).singleElement().satisfies(line -> {
            assertThat(line.result()).isEqualTo(AuditLine.Result.ERROR);
            assertThat(line.detail()).contains("pending deletion")
                    .contains("aws kms cancel-key-deletion --region us-east-2 --key-id " + key.keyId())
                    .contains("aws kms enable-key --region us-east-2 --key-id " + key.keyId());
        });
    }

    @Test
    void aDisabledKeyIsAnError() {
        kms.disableKey(r -> r.keyId(key.keyId()));

        assertThat(audit()).filteredOn(line -> line.check().equals(KeyAudit.ENABLED)).singleElement().satisfies(line -> {
            assertThat(line.result()).isEqualTo(AuditLine.Result.ERROR);
            assertThat(line.detail()).contains("disabled").contains("aws kms enable-key --region us-east-2 --key-id " + key.keyId());
        });
    }

    @Test
    void anAsymmetricKeyIsAFinding() {
        assumeTrue(makesAsymmetricKeys(), "this emulator makes symmetric keys only");
        KeyMetadata rsa = kms.createKey(r -> r.keySpec("RSA_2048").keyUsage("ENCRYPT_DECRYPT")).keyMetadata();

        List<AuditLine> lines = audit(stanzas(rsa.keyId()), Instant.now());

        assertThat(lines).filteredOn(line -> line.check().equals(KeyAudit.SYMMETRIC)).singleElement()
                .satisfies(line -> assertThat(line.result()).isEqualTo(AuditLine.Result.FINDING));
    }

    @Test
    void aStanzaInAnotherRegionIsAFinding() {
        Map<String, SealStanza> stanzas = Map.of("vault-01", new SealStanza(key.keyId(), REGION),
                "vault-02", new SealStanza(key.arn(), REGION), "vault-03", new SealStanza(key.keyId(), "eu-west-1"));

        assertThat(onlyNotOk(audit(stanzas, Instant.now()), KeyAudit.REGION, AuditLine.Result.FINDING))
                .contains("vault-03 name eu-west-1");
    }

    @Test
    void hostsNamingTwoKeysAreAFinding() {
        KeyMetadata other = kms.createKey(r -> r.description("another")).keyMetadata();
        Map<String, SealStanza> stanzas = Map.of("vault-01", new SealStanza(key.keyId(), REGION),
                "vault-02", new SealStanza(key.keyId(), REGION), "vault-03", new SealStanza(other.keyId(), REGION));

        List<AuditLine> lines = audit(stanzas, Instant.now());

        assertThat(lines.get(0).result()).isEqualTo(AuditLine.Result.FINDING);
        assertThat(lines.get(0).detail()).contains("vault-01, vault-02: " + key.arn()).contains("vault-03: " + other.arn());
    }

    @Test
    void aKeyPolicyNamingTheUserIsAFinding() {
        String userArn = iam.getUser(r -> r.userName(USER)).user().arn();
        String account = key.arn().split(":")[4];
        kms.putKeyPolicy(r -> r.keyId(key.keyId()).policyName("default").policy("{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + account + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + userArn + "\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}"));

        assertThat(onlyNotOk(audit(), KeyAudit.KEY_POLICY, AuditLine.Result.FINDING)).contains("names IAM user " + USER);
    }

    @Test
    void aConsoleLoginIsAFinding() {
        iam.createLoginProfile(r -> r.userName(USER).password("Console-Password-1!"));

        assertThat(onlyNotOk(audit(), UserAudit.CONSOLE, AuditLine.Result.FINDING))
                .contains("aws iam delete-login-profile --user-name " + USER);
    }

    @Test
    void groupMembershipIsAFinding() {
        iam.createGroup(r -> r.groupName("ops"));
        iam.addUserToGroup(r -> r.groupName("ops").userName(USER));

        assertThat(onlyNotOk(audit(), UserAudit.GROUPS, AuditLine.Result.FINDING)).contains(USER + " is in ops");
    }

    @Test
    void anInlinePolicyIsAFinding() {
        iam.putUserPolicy(r -> r.userName(USER).policyName("extra").policyDocument(SealPolicyDocument.forKey(key.arn())));

        assertThat(onlyNotOk(audit(), UserAudit.INLINE, AuditLine.Result.FINDING)).contains("inline policy extra");
    }

    @Test
    void aSecondManagedPolicyIsAFinding() {
        String other = iam.createPolicy(r -> r.policyName("other").policyDocument(SealPolicyDocument.forKey(key.arn()))).policy().arn();
        iam.attachUserPolicy(r -> r.userName(USER).policyArn(other));

        assertThat(onlyNotOk(audit(), UserAudit.MANAGED, AuditLine.Result.FINDING)).contains("2 managed policies");
    }

    @Test
    void aWiderPolicyOrOneOnAnotherKeyIsAFinding() {
        String wide = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
        iam.createPolicyVersion(r -> r.policyArn(policyArn).policyDocument(wide).setAsDefault(true));

        assertThat(onlyNotOk(audit(), UserAudit.EXACT, AuditLine.Result.FINDING)).contains("grants more or other");

        KeyMetadata other = kms.createKey(r -> r.description("another")).keyMetadata();
        iam.createPolicyVersion(r -> r.policyArn(policyArn).policyDocument(SealPolicyDocument.forKey(other.arn())).setAsDefault(true));

        assertThat(onlyNotOk(audit(), UserAudit.EXACT, AuditLine.Result.FINDING)).contains(key.arn());
    }

    @Test
    void twoActiveAccessKeysAreAFinding() {
        String second = iam.createAccessKey(r -> r.userName(USER)).accessKey().accessKeyId();

        assertThat(onlyNotOk(audit(), UserAudit.ONE_KEY, AuditLine.Result.FINDING)).contains(accessKeyId).contains(second);

        iam.updateAccessKey(r -> r.userName(USER).accessKeyId(second).status("Inactive"));
        assertThat(audit()).extracting(AuditLine::result).containsOnly(AuditLine.Result.OK);
    }

    @Test
    void anAccessKeyOlderThan30DaysIsAWarningAndOlderThan90AFinding() {
        String warned = onlyNotOk(audit(stanzas(key.keyId()), Instant.now().plus(Duration.ofDays(40))), UserAudit.KEY_AGE,
                AuditLine.Result.FINDING);
        assertThat(warned).startsWith("warn: " + accessKeyId + " is 40 days old").contains("over 30 days");

        String overdue = onlyNotOk(audit(stanzas(key.keyId()), Instant.now().plus(Duration.ofDays(100))), UserAudit.KEY_AGE,
                AuditLine.Result.FINDING);
        assertThat(overdue).startsWith(accessKeyId + " is 100 days old").contains("over 90 days, rotate it now");
    }

    @Test
    void theUserIsFoundByTheAccessKeyTheHostsHoldWhenItHasAnotherName() throws IOException {
        List<AuditLine> lines = new SealAudit(clients).audit(new SealAudit.Target(REGION, ALIAS, List.of("no-such-user"),
                "no-such-policy", false, stanzas(key.keyId()), Set.of(accessKeyId)), Instant.now());

        assertThat(lines).extracting(AuditLine::result).as(lines.toString()).containsOnly(AuditLine.Result.OK);
        assertThat(lines.get(1).detail()).contains(":user/" + USER).contains("owns the access key the hosts hold");
    }
}

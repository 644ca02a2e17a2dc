package io.vaultcfg.aws.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.sts.model.StsException;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The product's core promise: a dedicated IAM user whose policy allows exactly kms:Encrypt, kms:Decrypt and
 * kms:DescribeKey on one key ARN can use that key and nothing else.
 */
class LeastPrivilegeAuthorizationTest {
    private static AwsEmulator aws;
    private static TestClients clients;
    private static IamClient adminIam;
    private static KmsClient adminKms;
    private static KeyMetadata vaultKey;
    private static KeyMetadata otherKey;

    @BeforeAll
    static void start() throws Exception {
        aws = AwsEmulator.start(EmulatorOptions.defaults());
        clients = new TestClients(aws);
        adminIam = clients.adminIam();
        adminKms = clients.adminKms();
        vaultKey = adminKms.createKey(r -> r.description("vault unseal")).keyMetadata();
        otherKey = adminKms.createKey(r -> r.description("someone else's")).keyMetadata();
        adminKms.createAlias(r -> r.aliasName("alias/vault-unseal").targetKeyId(vaultKey.keyId()));
    }

    @AfterAll
    static void stop() {
        clients.close();
        aws.close();
    }

    static String leastPrivilegePolicy(String keyArn) {
        return """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Action":["kms:Encrypt","kms:Decrypt","kms:DescribeKey"],"Resource":"%s"}]}""".formatted(keyArn);
    }

    /** Creates a user with a managed policy holding {@code document} attached, and returns its first access key. */
    private static AccessKey userWithPolicy(String userName, String document) {
        adminIam.createUser(r -> r.userName(userName));
        String policyArn = adminIam.createPolicy(r -> r.policyName(userName + "-policy").policyDocument(document)).policy().arn();
        adminIam.attachUserPolicy(r -> r.userName(userName).policyArn(policyArn));
        return adminIam.createAccessKey(r -> r.userName(userName)).accessKey();
    }

    private static KmsClient kmsAs(AccessKey key) {
        return clients.kms(TestClients.credentials(key));
    }

    private static void assertDenied(Runnable call, String action, String resource, String reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(KmsException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(e.awsErrorDetails().errorMessage()).matches("User: arn:aws:iam::123456789012:user/.+ is not authorized "
                    + java.util.regex.Pattern.quote("to perform: " + action + " on resource: " + resource + " " + reason));
        });
    }

    @Test
    void leastPrivilegeUserCanUseItsKeyByIdAndByAliasButNothingElse() {
        AccessKey key = userWithPolicy("vault-auto-unseal", leastPrivilegePolicy(vaultKey.arn()));
        KmsClient vault = kmsAs(key);

        assertThat(vault.describeKey(r -> r.keyId(vaultKey.keyId())).keyMetadata().arn()).isEqualTo(vaultKey.arn());
        assertThat(vault.describeKey(r -> r.keyId("alias/vault-unseal")).keyMetadata().arn()).isEqualTo(vaultKey.arn());
        SdkBytes blob = vault.encrypt(r -> r.keyId("alias/vault-unseal").plaintext(SdkBytes.fromUtf8String("barrier key"))).ciphertextBlob();
        assertThat(vault.decrypt(r -> r.ciphertextBlob(blob)).plaintext().asUtf8String()).isEqualTo("barrier key");

        assertDenied(() -> vault.encrypt(r -> r.keyId(otherKey.keyId()).plaintext(SdkBytes.fromUtf8String("x"))),
                "kms:Encrypt", otherKey.arn(), "because no identity-based policy allows the kms:Encrypt action");
        assertDenied(() -> vault.describeKey(r -> r.keyId(otherKey.arn())),
                "kms:DescribeKey", otherKey.arn(), "because no identity-based policy allows the kms:DescribeKey action");
        assertDenied(() -> vault.scheduleKeyDeletion(r -> r.keyId(vaultKey.keyId()).pendingWindowInDays(7)),
                "kms:ScheduleKeyDeletion", vaultKey.arn(), "because no identity-based policy allows the kms:ScheduleKeyDeletion action");
        assertDenied(() -> vault.createKey(r -> r.description("nope")),
                "kms:CreateKey", "*", "because no identity-based policy allows the kms:CreateKey action");

        SdkBytes otherBlob = adminKms.encrypt(r -> r.keyId(otherKey.keyId()).plaintext(SdkBytes.fromUtf8String("not yours"))).ciphertextBlob();
        assertDenied(() -> vault.decrypt(r -> r.ciphertextBlob(otherBlob)),
                "kms:Decrypt", otherKey.arn(), "because no identity-based policy allows the kms:Decrypt action");
        assertThat(adminKms.describeKey(r -> r.keyId(vaultKey.keyId())).keyMetadata().keyStateAsString()).isEqualTo("Enabled");
    }

    @Test
    void aliasArnInTheResourceDoesNotGrantUseOfTheKey() {
        String aliasArn = "arn:aws:kms:us-east-2:123456789012:alias/vault-unseal";
        AccessKey key = userWithPolicy("alias-scoped", leastPrivilegePolicy(aliasArn));
        KmsClient user = kmsAs(key);

        assertDenied(() -> user.encrypt(r -> r.keyId("alias/vault-unseal").plaintext(SdkBytes.fromUtf8String("x"))),
                "kms:Encrypt", vaultKey.arn(), "because no identity-based policy allows the kms:Encrypt action");
    }

    @Test
    void wildcardPolicyAllowsEveryKeyAndCaseInsensitiveActionPatterns() {
        AccessKey key = userWithPolicy("wildcard-user", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["KMS:encrypt","kms:Decr?pt","kms:Describe*"],
                 "Resource":"arn:aws:kms:us-east-2:123456789012:key/*"}]}""");
        KmsClient user = kmsAs(key);

        for (KeyMetadata target : new KeyMetadata[]{vaultKey, otherKey}) {
            SdkBytes blob = user.encrypt(r -> r.keyId(target.keyId()).plaintext(SdkBytes.fromUtf8String("x"))).ciphertextBlob();
            assertThat(user.decrypt(r -> r.ciphertextBlob(blob)).keyId()).isEqualTo(target.arn());
            assertThat(user.describeKey(r -> r.keyId(target.keyId())).keyMetadata().keyId()).isEqualTo(target.keyId());
        }
        assertDenied(() -> user.disableKey(r -> r.keyId(vaultKey.keyId())),
                "kms:DisableKey", vaultKey.arn(), "because no identity-based policy allows the kms:DisableKey action");
    }

    @Test
    void explicitDenyWinsOverAnyAllow() {
        AccessKey key = userWithPolicy("denied-user", """
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","Action":"kms:*","Resource":"*"},
                 {"Effect":"Deny","Action":"kms:Decrypt","Resource":"%s"}]}""".formatted(vaultKey.arn()));
        KmsClient user = kmsAs(key);

        SdkBytes blob = user.encrypt(r -> r.keyId(vaultKey.keyId()).plaintext(SdkBytes.fromUtf8String("x"))).ciphertextBlob();
        assertDenied(() -> user.decrypt(r -> r.ciphertextBlob(blob)),
                "kms:Decrypt", vaultKey.arn(), "with an explicit deny in an identity-based policy");
    }

    @Test
    void notActionAndNotResourceAreHonoured() {
        AccessKey key = userWithPolicy("not-user", """
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","NotAction":"kms:ScheduleKeyDeletion","NotResource":"%s"}]}""".formatted(vaultKey.arn()));
        KmsClient user = kmsAs(key);

        assertThat(user.describeKey(r -> r.keyId(otherKey.keyId())).keyMetadata().keyId()).isEqualTo(otherKey.keyId());
        assertDenied(() -> user.describeKey(r -> r.keyId(vaultKey.keyId())),
                "kms:DescribeKey", vaultKey.arn(), "because no identity-based policy allows the kms:DescribeKey action");
        assertDenied(() -> user.scheduleKeyDeletion(r -> r.keyId(otherKey.keyId())),
                "kms:ScheduleKeyDeletion", otherKey.arn(), "because no identity-based policy allows the kms:ScheduleKeyDeletion action");
    }

    @Test
    void keyPolicyWithoutAccountDelegationOverridesIamAllow() {
        KeyMetadata locked = adminKms.createKey(r -> r.description("locked").bypassPolicyLockoutSafetyCheck(true).policy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/someone-else"},
                 "Action":"kms:*","Resource":"*"}]}""")).keyMetadata();
        AccessKey key = userWithPolicy("blocked-by-key-policy", leastPrivilegePolicy(locked.arn()));

        assertDenied(() -> kmsAs(key).describeKey(r -> r.keyId(locked.keyId())),
                "kms:DescribeKey", locked.arn(), "because no resource-based policy allows the kms:DescribeKey action");
    }

    @Test
    void inlinePolicyAlsoGrants() {
        adminIam.createUser(r -> r.userName("inline-granted"));
        adminIam.putUserPolicy(r -> r.userName("inline-granted").policyName("kms").policyDocument(leastPrivilegePolicy(vaultKey.arn())));
        AccessKey key = adminIam.createAccessKey(r -> r.userName("inline-granted")).accessKey();

        assertThat(kmsAs(key).describeKey(r -> r.keyId("alias/vault-unseal")).keyMetadata().arn()).isEqualTo(vaultKey.arn());
    }

    @Test
    void inactiveDeletedAndUnknownAccessKeysAreRejected() {
        AccessKey key = userWithPolicy("rotating-user", leastPrivilegePolicy(vaultKey.arn()));
        KmsClient user = kmsAs(key);
        assertThat(user.describeKey(r -> r.keyId(vaultKey.keyId())).keyMetadata()).isNotNull();

        adminIam.updateAccessKey(r -> r.userName("rotating-user").accessKeyId(key.accessKeyId()).status(StatusType.INACTIVE));
        assertThatThrownBy(() -> user.describeKey(r -> r.keyId(vaultKey.keyId())))
                .isInstanceOfSatisfying(KmsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The security token included in the request is invalid.");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
        assertThatThrownBy(() -> clients.iam(TestClients.credentials(key)).listUsers())
                .isInstanceOfSatisfying(IamException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
                    assertThat(e.statusCode()).isEqualTo(403);
                });

        adminIam.deleteAccessKey(r -> r.userName("rotating-user").accessKeyId(key.accessKeyId()));
        assertThatThrownBy(() -> user.describeKey(r -> r.keyId(vaultKey.keyId())))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));

        KmsClient stranger = clients.kms(AwsBasicCredentials.create("AKIAUNKNOWNUNKNOWN00", "x".repeat(40)));
        assertThatThrownBy(() -> stranger.listKeys())
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
    }

    @Test
    void aThirdAccessKeyHitsTheLimit() {
        AccessKey first = userWithPolicy("two-keys", leastPrivilegePolicy(vaultKey.arn()));
        adminIam.createAccessKey(r -> r.userName("two-keys"));

        assertThatThrownBy(() -> adminIam.createAccessKey(r -> r.userName("two-keys")))
                .isInstanceOfSatisfying(IamException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("LimitExceeded");
                    assertThat(e.statusCode()).isEqualTo(409);
                });
        assertThat(first.accessKeyId()).isNotBlank();
    }

    @Test
    void aWrongSecretMeansATamperedSignatureAndIsRejected() {
        AccessKey key = userWithPolicy("tampered", leastPrivilegePolicy(vaultKey.arn()));
        String wrongSecret = key.secretAccessKey().substring(1) + "X";
        KmsClient forged = clients.kms(AwsBasicCredentials.create(key.accessKeyId(), wrongSecret));

        assertThatThrownBy(() -> forged.describeKey(r -> r.keyId(vaultKey.keyId())))
                .isInstanceOfSatisfying(KmsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                    assertThat(e.awsErrorDetails().errorMessage()).startsWith("The request signature we calculated does not match")
                            .doesNotContain(key.secretAccessKey()).doesNotContain(wrongSecret);
                });
        assertThatThrownBy(() -> clients.sts(AwsBasicCredentials.create(key.accessKeyId(), wrongSecret)).getCallerIdentity())
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
                    assertThat(e.statusCode()).isEqualTo(403);
                });
    }

    @Test
    void getAccessKeyLastUsedReflectsTheLatestUse() {
        AccessKey key = userWithPolicy("last-used", leastPrivilegePolicy(vaultKey.arn()));
        assertThat(adminIam.getAccessKeyLastUsed(r -> r.accessKeyId(key.accessKeyId())).accessKeyLastUsed().lastUsedDate()).isNull();

        Instant before = Instant.now().minusSeconds(1);
        kmsAs(key).describeKey(r -> r.keyId(vaultKey.keyId()));

        var lastUsed = adminIam.getAccessKeyLastUsed(r -> r.accessKeyId(key.accessKeyId())).accessKeyLastUsed();
        assertThat(lastUsed.lastUsedDate()).isAfterOrEqualTo(before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(lastUsed.serviceName()).isEqualTo("kms");
        assertThat(lastUsed.region()).isEqualTo("us-east-2");
    }

    @Test
    void usersCannotAdministerIamWithoutPermission() {
        AccessKey key = userWithPolicy("no-iam", leastPrivilegePolicy(vaultKey.arn()));
        assertThatThrownBy(() -> clients.iam(TestClients.credentials(key)).createUser(r -> r.userName("escalate")))
                .isInstanceOfSatisfying(IamException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:iam::123456789012:user/no-iam is not "
                            + "authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/escalate "
                            + "because no identity-based policy allows the iam:CreateUser action");
                });
    }

    @Test
    void requestLogShowsWhoDidWhatWithoutSecrets() {
        AccessKey key = userWithPolicy("logged", leastPrivilegePolicy(vaultKey.arn()));
        KmsClient user = kmsAs(key);
        SdkBytes blob = user.encrypt(r -> r.keyId(vaultKey.keyId()).plaintext(SdkBytes.fromUtf8String("very-secret-plaintext"))).ciphertextBlob();
        user.decrypt(r -> r.ciphertextBlob(blob));

        assertThat(aws.requestLog().entries("kms", "Decrypt")).anySatisfy(entry -> {
            assertThat(entry.callerArn()).isEqualTo("arn:aws:iam::123456789012:user/logged");
            assertThat(entry.accessKeyId()).isEqualTo(key.accessKeyId());
            assertThat(entry.outcome()).isEqualTo("OK");
            assertThat(entry.status()).isEqualTo(200);
        });
        String wholeLog = aws.requestLog().entries().toString();
        assertThat(wholeLog).doesNotContain(key.secretAccessKey()).doesNotContain("very-secret-plaintext")
                .doesNotContain(aws.adminCredentials().secretAccessKey() + ",");
    }
}

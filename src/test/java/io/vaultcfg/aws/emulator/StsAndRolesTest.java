package io.vaultcfg.aws.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

import java.net.URLDecoder;
import java.time.Instant;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GetCallerIdentity for every kind of caller, and AssumeRole whose temporary credentials the emulator accepts. */
class StsAndRolesTest {
    private static AwsEmulator aws;
    private static TestClients clients;
    private static IamClient adminIam;
    private static KeyMetadata key;

    @BeforeAll
    static void start() throws Exception {
        aws = AwsEmulator.start(EmulatorOptions.defaults());
        clients = new TestClients(aws);
        adminIam = clients.adminIam();
        key = clients.adminKms().createKey(r -> r.description("role key")).keyMetadata();
    }

    @AfterAll
    static void stop() {
        clients.close();
        aws.close();
    }

    private static String trustPolicy(String principalArn) {
        return """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"%s"},"Action":"sts:AssumeRole"}]}"""
                .formatted(principalArn);
    }

    @Test
    void rootCallerIdentityIsTheAccount() {
        GetCallerIdentityResponse identity = clients.adminSts().getCallerIdentity();
        assertThat(identity.account()).isEqualTo("123456789012");
        assertThat(identity.arn()).isEqualTo("arn:aws:iam::123456789012:root");
        assertThat(identity.userId()).isEqualTo("123456789012");
    }

    @Test
    void userCallerIdentityIsTheUserEvenWithoutAnyPolicy() {
        var user = adminIam.createUser(r -> r.userName("who-am-i")).user();
        AccessKey accessKey = adminIam.createAccessKey(r -> r.userName("who-am-i")).accessKey();

        GetCallerIdentityResponse identity = clients.sts(TestClients.credentials(accessKey)).getCallerIdentity();
        assertThat(identity.arn()).isEqualTo(user.arn());
        assertThat(identity.userId()).isEqualTo(user.userId());
        assertThat(identity.account()).isEqualTo("123456789012");
    }

    @Test
    void assumedRoleCredentialsWorkWithTheRolesPermissions() {
        adminIam.createUser(r -> r.userName("assumer"));
        adminIam.putUserPolicy(r -> r.userName("assumer").policyName("assume").policyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/*"}]}"""));
        AccessKey userKey = adminIam.createAccessKey(r -> r.userName("assumer")).accessKey();
        Role role = adminIam.createRole(r -> r.roleName("vault-kms").assumeRolePolicyDocument(trustPolicy("arn:aws:iam::123456789012:root"))
                .description("vault unseal role")).role();
        assertThat(role.arn()).isEqualTo("arn:aws:iam::123456789012:role/vault-kms");
        assertThat(URLDecoder.decode(role.assumeRolePolicyDocument(), UTF_8)).contains("sts:AssumeRole");
        adminIam.putRolePolicy(r -> r.roleName("vault-kms").policyName("kms").policyDocument(
                LeastPrivilegeAuthorizationTest.leastPrivilegePolicy(key.arn())));
        assertThat(adminIam.getRole(r -> r.roleName("vault-kms")).role().description()).isEqualTo("vault unseal role");

        StsClient sts = clients.sts(TestClients.credentials(userKey));
        AssumeRoleResponse assumed = sts.assumeRole(r -> r.roleArn(role.arn()).roleSessionName("vault-node-1").durationSeconds(900));
        Credentials credentials = assumed.credentials();
        assertThat(credentials.accessKeyId()).startsWith("ASIA").hasSize(20);
        assertThat(credentials.sessionToken()).isNotBlank();
        assertThat(credentials.expiration()).isBetween(Instant.now().plusSeconds(800), Instant.now().plusSeconds(1000));
        assertThat(assumed.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/vault-kms/vault-node-1");

        GetCallerIdentityResponse identity = clients.sts(TestClients.session(credentials)).getCallerIdentity();
        assertThat(identity.arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/vault-kms/vault-node-1");
        assertThat(identity.userId()).isEqualTo(role.roleId() + ":vault-node-1");

        KmsClient roleKms = clients.kms(TestClients.session(credentials));
        SdkBytes blob = roleKms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("x"))).ciphertextBlob();
        assertThat(roleKms.decrypt(r -> r.ciphertextBlob(blob)).plaintext().asUtf8String()).isEqualTo("x");
        assertThatThrownBy(() -> roleKms.disableKey(r -> r.keyId(key.keyId())))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .startsWith("User: arn:aws:sts::123456789012:assumed-role/vault-kms/vault-node-1 is not authorized to perform: kms:DisableKey"));

        KmsClient wrongToken = clients.kms(AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(), "forged-token"));
        assertThatThrownBy(() -> wrongToken.describeKey(r -> r.keyId(key.keyId())))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
    }

    @Test
    void attachedManagedPoliciesAlsoGrantRoleSessions() {
        Role role = adminIam.createRole(r -> r.roleName("attached-role").assumeRolePolicyDocument(trustPolicy("123456789012"))).role();
        String policyArn = adminIam.createPolicy(r -> r.policyName("role-kms").policyDocument(
                LeastPrivilegeAuthorizationTest.leastPrivilegePolicy(key.arn()))).policy().arn();
        adminIam.attachRolePolicy(r -> r.roleName("attached-role").policyArn(policyArn));

        Credentials credentials = clients.adminSts().assumeRole(r -> r.roleArn(role.arn()).roleSessionName("s1")).credentials();
        assertThat(clients.kms(TestClients.session(credentials)).describeKey(r -> r.keyId(key.arn())).keyMetadata().keyId())
                .isEqualTo(key.keyId());
    }

    @Test
    void assumeRoleIsDeniedWhenTheTrustPolicyDoesNotNameTheCaller() {
        adminIam.createUser(r -> r.userName("outsider"));
        adminIam.putUserPolicy(r -> r.userName("outsider").policyName("assume").policyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"""));
        AccessKey outsiderKey = adminIam.createAccessKey(r -> r.userName("outsider")).accessKey();
        Role role = adminIam.createRole(r -> r.roleName("private-role")
                .assumeRolePolicyDocument(trustPolicy("arn:aws:iam::123456789012:user/someone-else"))).role();

        assertThatThrownBy(() -> clients.sts(TestClients.credentials(outsiderKey)).assumeRole(r -> r.roleArn(role.arn()).roleSessionName("x1")))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorMessage()).startsWith(
                            "User: arn:aws:iam::123456789012:user/outsider is not authorized to perform: sts:AssumeRole on resource: " + role.arn());
                });
    }

    @Test
    void trustPolicyNamingTheUserDirectlyNeedsNoIdentityPolicy() {
        var user = adminIam.createUser(r -> r.userName("named-in-trust")).user();
        AccessKey userKey = adminIam.createAccessKey(r -> r.userName("named-in-trust")).accessKey();
        Role role = adminIam.createRole(r -> r.roleName("direct-trust").assumeRolePolicyDocument(trustPolicy(user.arn()))).role();

        assertThat(clients.sts(TestClients.credentials(userKey)).assumeRole(r -> r.roleArn(role.arn()).roleSessionName("ok"))
                .credentials().accessKeyId()).startsWith("ASIA");
    }
}

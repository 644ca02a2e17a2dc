package io.vaultcfg.aws.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Policy;
import software.amazon.awssdk.services.iam.model.PolicyVersion;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.User;

import java.net.URLDecoder;
import java.time.Instant;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every IAM operation the product relies on, driven by the real SDK as the account root. */
class IamOperationsTest {
    static final String KMS_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Encrypt","kms:Decrypt","kms:DescribeKey"],
             "Resource":"arn:aws:kms:us-east-2:123456789012:key/*"}]}""";

    private static AwsEmulator aws;
    private static TestClients clients;
    private static IamClient iam;

    @BeforeAll
    static void start() throws Exception {
        aws = AwsEmulator.start(EmulatorOptions.defaults());
        clients = new TestClients(aws);
        iam = clients.adminIam();
    }

    @AfterAll
    static void stop() {
        clients.close();
        aws.close();
    }

    private static Policy newPolicy(String name) {
        return iam.createPolicy(r -> r.policyName(name).policyDocument(KMS_POLICY).description("kms for vault")).policy();
    }

    @Test
    void usersAreCreatedReadListedTaggedAndDeleted() {
        User created = iam.createUser(r -> r.userName("vault-auto-unseal").tags(Tag.builder().key("app").value("vault").build()))
                .user();
        assertThat(created.arn()).isEqualTo("arn:aws:iam::123456789012:user/vault-auto-unseal");
        assertThat(created.userId()).startsWith("AIDA").hasSize(21);
        assertThat(created.path()).isEqualTo("/");
        assertThat(created.createDate()).isBefore(Instant.now().plusSeconds(2));

        assertThat(iam.getUser(r -> r.userName("vault-auto-unseal")).user().tags())
                .containsExactly(Tag.builder().key("app").value("vault").build());
        assertThat(iam.listUsers().users()).extracting(User::userName).contains("vault-auto-unseal");

        iam.tagUser(r -> r.userName("vault-auto-unseal").tags(Tag.builder().key("owner").value("ops").build()));
        assertThat(iam.listUserTags(r -> r.userName("vault-auto-unseal")).tags()).extracting(Tag::key)
                .containsExactly("app", "owner");

        assertThatThrownBy(() -> iam.createUser(r -> r.userName("vault-auto-unseal")))
                .isInstanceOf(EntityAlreadyExistsException.class)
                .hasMessageContaining("User with name vault-auto-unseal already exists.")
                .satisfies(e -> assertThat(((IamException) e).statusCode()).isEqualTo(409));

        iam.deleteUser(r -> r.userName("vault-auto-unseal"));
        assertThatThrownBy(() -> iam.getUser(r -> r.userName("vault-auto-unseal")))
                .isInstanceOf(NoSuchEntityException.class)
                .hasMessageContaining("The user with name vault-auto-unseal cannot be found.");
    }

    @Test
    void userTagsAreSetOnCreationAddedReplacedWithoutRegardToCaseAndRemoved() {
        iam.createUser(r -> r.userName("tagged").tags(tag("cluster", "dc1"), tag("Owner", "ops")));
        assertThat(iam.getUser(r -> r.userName("tagged")).user().tags()).containsExactly(tag("cluster", "dc1"), tag("Owner", "ops"));
        assertThat(iam.listUsers().users()).filteredOn(u -> u.userName().equals("tagged"))
                .allSatisfy(u -> assertThat(u.hasTags()).as("ListUsers leaves tags out").isFalse());

        iam.tagUser(r -> r.userName("tagged").tags(tag("owner", "platform"), tag("kms-key", "arn:aws:kms:us-east-2:1:key/x")));
        var listed = iam.listUserTags(r -> r.userName("tagged"));
        assertThat(listed.tags()).containsExactly(tag("cluster", "dc1"), tag("owner", "platform"),
                tag("kms-key", "arn:aws:kms:us-east-2:1:key/x"));
        assertThat(listed.isTruncated()).isFalse();
        assertThat(iam.listUserTags(r -> r.userName("tagged").maxItems(1)).tags()).containsExactly(tag("cluster", "dc1"));

        iam.untagUser(r -> r.userName("tagged").tagKeys("CLUSTER", "not-there"));
        assertThat(iam.listUserTags(r -> r.userName("tagged")).tags()).extracting(Tag::key).containsExactly("owner", "kms-key");

        assertInvalidInput(() -> iam.tagUser(r -> r.userName("tagged").tags(tag("env", "a"), tag("ENV", "b"))),
                "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
        assertInvalidInput(() -> iam.tagUser(r -> r.userName("tagged").tags(tag("aws:owner", "x"))), "aws:");
        assertThatThrownBy(() -> iam.tagUser(r -> r.userName("tagged").tags(tag("bad<key>", "x"))))
                .isInstanceOfSatisfying(IamException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
        assertThatThrownBy(() -> iam.untagUser(r -> r.userName("tagged")))
                .isInstanceOfSatisfying(IamException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
        assertThatThrownBy(() -> iam.tagUser(r -> r.userName("nobody").tags(tag("a", "b")))).isInstanceOf(NoSuchEntityException.class);
        assertThat(iam.listUserTags(r -> r.userName("tagged")).tags()).extracting(Tag::key).containsExactly("owner", "kms-key");

        var upToFifty = java.util.stream.IntStream.range(0, 48).mapToObj(i -> tag("k" + i, "v")).toList();
        iam.tagUser(r -> r.userName("tagged").tags(upToFifty));
        assertThatThrownBy(() -> iam.tagUser(r -> r.userName("tagged").tags(tag("one-too-many", "v"))))
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("TagsPerUser: 50");
    }

    @Test
    void creatingATaggedUserNeedsTagUserPermissionToo() {
        iam.createUser(r -> r.userName("user-creator"));
        iam.putUserPolicy(r -> r.userName("user-creator").policyName("create-only").policyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreateUser","iam:ListUserTags"],"Resource":"*"}]}"""));
        AccessKey key = iam.createAccessKey(r -> r.userName("user-creator")).accessKey();
        IamClient creator = clients.iam(TestClients.credentials(key));

        assertThat(creator.createUser(r -> r.userName("plain-user")).user().userName()).isEqualTo("plain-user");
        assertThatThrownBy(() -> creator.createUser(r -> r.userName("tagged-user").tags(tag("team", "ops"))))
                .isInstanceOfSatisfying(IamException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("iam:TagUser", "user/tagged-user");
                });
        assertThatThrownBy(() -> iam.getUser(r -> r.userName("tagged-user"))).isInstanceOf(NoSuchEntityException.class);
        assertThatThrownBy(() -> creator.tagUser(r -> r.userName("plain-user").tags(tag("team", "ops"))))
                .isInstanceOfSatisfying(IamException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
        assertThat(creator.listUserTags(r -> r.userName("plain-user")).tags()).isEmpty();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static void assertInvalidInput(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(IamException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidInput");
            assertThat(e.awsErrorDetails().errorMessage()).contains(message);
        });
    }

    @Test
    void usersWithPathsGetPathedArns() {
        User user = iam.createUser(r -> r.userName("pathed").path("/service/")).user();
        assertThat(user.arn()).isEqualTo("arn:aws:iam::123456789012:user/service/pathed");
        assertThat(iam.listUsers(r -> r.pathPrefix("/service/")).users()).extracting(User::userName).containsExactly("pathed");
    }

    @Test
    void loginProfilesAreCreatedReadAndDeletedAndMissingOnesAreNoSuchEntity() {
        iam.createUser(r -> r.userName("console-user"));
        assertThatThrownBy(() -> iam.getLoginProfile(r -> r.userName("console-user")))
                .isInstanceOf(NoSuchEntityException.class)
                .hasMessageContaining("Login Profile for User console-user cannot be found.");

        iam.createLoginProfile(r -> r.userName("console-user").password("Correct-Horse-9!").passwordResetRequired(true));
        var profile = iam.getLoginProfile(r -> r.userName("console-user")).loginProfile();
        assertThat(profile.userName()).isEqualTo("console-user");
        assertThat(profile.passwordResetRequired()).isTrue();

        assertThatThrownBy(() -> iam.deleteUser(r -> r.userName("console-user")))
                .isInstanceOf(DeleteConflictException.class).hasMessageContaining("must delete login profile first");
        iam.deleteLoginProfile(r -> r.userName("console-user"));
        assertThatThrownBy(() -> iam.deleteLoginProfile(r -> r.userName("console-user"))).isInstanceOf(NoSuchEntityException.class);
    }

    @Test
    void managedPolicyIsCreatedReadListedAndItsDocumentReturnedUrlEncoded() {
        Policy policy = newPolicy("VaultKmsUnseal");
        assertThat(policy.arn()).isEqualTo("arn:aws:iam::123456789012:policy/VaultKmsUnseal");
        assertThat(policy.defaultVersionId()).isEqualTo("v1");
        assertThat(policy.attachmentCount()).isZero();
        assertThat(policy.isAttachable()).isTrue();
        assertThat(policy.policyId()).startsWith("ANPA");

        assertThat(iam.getPolicy(r -> r.policyArn(policy.arn())).policy().description()).isEqualTo("kms for vault");
        assertThat(iam.listPolicies(r -> r.scope("Local")).policies()).extracting(Policy::policyName).contains("VaultKmsUnseal");
        assertThat(iam.listPolicies(r -> r.scope("AWS")).policies()).isEmpty();

        PolicyVersion v1 = iam.getPolicyVersion(r -> r.policyArn(policy.arn()).versionId("v1")).policyVersion();
        assertThat(v1.document()).startsWith("%7B%22Version%22%3A%222012-10-17%22").doesNotContain("+");
        assertThat(URLDecoder.decode(v1.document(), UTF_8)).isEqualTo(KMS_POLICY);
        assertThat(v1.isDefaultVersion()).isTrue();

        assertThatThrownBy(() -> newPolicy("VaultKmsUnseal")).isInstanceOf(EntityAlreadyExistsException.class)
                .hasMessageContaining("A policy called VaultKmsUnseal already exists. Duplicate names are not allowed.");
    }

    @Test
    void policyVersionsAreLimitedToFiveAndTheDefaultCannotBeDeleted() {
        Policy policy = newPolicy("Versioned");
        for (int i = 2; i <= 5; i++) {
            PolicyVersion created = iam.createPolicyVersion(r -> r.policyArn(policy.arn()).policyDocument(KMS_POLICY)).policyVersion();
            assertThat(created.versionId()).isEqualTo("v" + i);
            assertThat(created.document()).isNull();
        }
        assertThatThrownBy(() -> iam.createPolicyVersion(r -> r.policyArn(policy.arn()).policyDocument(KMS_POLICY)))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("A managed policy can have up to 5 versions.");

        assertThat(iam.listPolicyVersions(r -> r.policyArn(policy.arn())).versions()).extracting(PolicyVersion::versionId)
                .containsExactly("v5", "v4", "v3", "v2", "v1");
        assertThatThrownBy(() -> iam.deletePolicyVersion(r -> r.policyArn(policy.arn()).versionId("v1")))
                .isInstanceOf(DeleteConflictException.class).hasMessageContaining("Cannot delete the default version of a policy.");

        iam.setDefaultPolicyVersion(r -> r.policyArn(policy.arn()).versionId("v3"));
        assertThat(iam.getPolicy(r -> r.policyArn(policy.arn())).policy().defaultVersionId()).isEqualTo("v3");
        iam.deletePolicyVersion(r -> r.policyArn(policy.arn()).versionId("v1"));
        PolicyVersion v6 = iam.createPolicyVersion(r -> r.policyArn(policy.arn()).policyDocument(KMS_POLICY).setAsDefault(true)).policyVersion();
        assertThat(v6.versionId()).isEqualTo("v6");
        assertThat(v6.isDefaultVersion()).isTrue();

        assertThatThrownBy(() -> iam.deletePolicy(r -> r.policyArn(policy.arn()))).isInstanceOf(DeleteConflictException.class);
        for (String version : new String[]{"v2", "v3", "v4", "v5"}) {
            iam.deletePolicyVersion(r -> r.policyArn(policy.arn()).versionId(version));
        }
        iam.deletePolicy(r -> r.policyArn(policy.arn()));
        assertThatThrownBy(() -> iam.getPolicy(r -> r.policyArn(policy.arn()))).isInstanceOf(NoSuchEntityException.class);
    }

    @Test
    void policiesAreAttachedListedAndDetachedAndBlockDeletionWhileAttached() {
        iam.createUser(r -> r.userName("attached-user"));
        Policy policy = newPolicy("Attachable");
        iam.attachUserPolicy(r -> r.userName("attached-user").policyArn(policy.arn()));

        assertThat(iam.listAttachedUserPolicies(r -> r.userName("attached-user")).attachedPolicies())
                .containsExactly(AttachedPolicy.builder().policyName("Attachable").policyArn(policy.arn()).build());
        assertThat(iam.getPolicy(r -> r.policyArn(policy.arn())).policy().attachmentCount()).isEqualTo(1);
        assertThatThrownBy(() -> iam.deletePolicy(r -> r.policyArn(policy.arn())))
                .isInstanceOf(DeleteConflictException.class).hasMessageContaining("Cannot delete a policy attached to entities.");
        assertThatThrownBy(() -> iam.deleteUser(r -> r.userName("attached-user")))
                .isInstanceOf(DeleteConflictException.class).hasMessageContaining("must detach all policies first");

        iam.detachUserPolicy(r -> r.userName("attached-user").policyArn(policy.arn()));
        assertThat(iam.listAttachedUserPolicies(r -> r.userName("attached-user")).attachedPolicies()).isEmpty();
        assertThatThrownBy(() -> iam.detachUserPolicy(r -> r.userName("attached-user").policyArn(policy.arn())))
                .isInstanceOf(NoSuchEntityException.class);
        iam.deletePolicy(r -> r.policyArn(policy.arn()));
    }

    @Test
    void inlinePoliciesArePutReadListedAndDeleted() {
        iam.createUser(r -> r.userName("inline-user"));
        iam.putUserPolicy(r -> r.userName("inline-user").policyName("kms").policyDocument(KMS_POLICY));

        var read = iam.getUserPolicy(r -> r.userName("inline-user").policyName("kms"));
        assertThat(URLDecoder.decode(read.policyDocument(), UTF_8)).isEqualTo(KMS_POLICY);
        assertThat(iam.listUserPolicies(r -> r.userName("inline-user")).policyNames()).containsExactly("kms");

        iam.deleteUserPolicy(r -> r.userName("inline-user").policyName("kms"));
        assertThat(iam.listUserPolicies(r -> r.userName("inline-user")).policyNames()).isEmpty();
        assertThatThrownBy(() -> iam.getUserPolicy(r -> r.userName("inline-user").policyName("kms")))
                .isInstanceOf(NoSuchEntityException.class).hasMessageContaining("The user policy with name kms cannot be found.");
    }

    @Test
    void malformedPolicyDocumentsAreRejected() {
        iam.createUser(r -> r.userName("malformed-target"));
        assertThatThrownBy(() -> iam.createPolicy(r -> r.policyName("Broken").policyDocument("{not json")))
                .isInstanceOf(MalformedPolicyDocumentException.class).hasMessageContaining("Syntax errors in policy.");
        assertThatThrownBy(() -> iam.createPolicy(r -> r.policyName("NoEffect").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Action\":\"kms:*\",\"Resource\":\"*\"}]}")))
                .isInstanceOf(MalformedPolicyDocumentException.class).hasMessageContaining("Missing required field Effect");
        assertThatThrownBy(() -> iam.putUserPolicy(r -> r.userName("malformed-target").policyName("p").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}}")))
                .isInstanceOf(MalformedPolicyDocumentException.class).hasMessageContaining("Policy document should not specify a principal.");
        assertThatThrownBy(() -> iam.createPolicy(r -> r.policyName("BadResource").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"key/1\"}}")))
                .isInstanceOf(MalformedPolicyDocumentException.class).hasMessageContaining("must be in ARN format");
    }

    @Test
    void badPolicyArnsAreInvalidInput() {
        assertThatThrownBy(() -> iam.getPolicy(r -> r.policyArn("not-an-arn")))
                .isInstanceOfSatisfying(IamException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidInput");
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("ARN not-an-arn is not valid.");
                });
    }

    @Test
    void accessKeysAreLimitedToTwoPerUserAndCanBeDeactivatedAndDeleted() {
        iam.createUser(r -> r.userName("keyed"));
        AccessKey first = iam.createAccessKey(r -> r.userName("keyed")).accessKey();
        assertThat(first.accessKeyId()).startsWith("AKIA").hasSize(20);
        assertThat(first.secretAccessKey()).hasSize(40);
        assertThat(first.status()).isEqualTo(StatusType.ACTIVE);
        AccessKey second = iam.createAccessKey(r -> r.userName("keyed")).accessKey();
        iam.updateAccessKey(r -> r.userName("keyed").accessKeyId(second.accessKeyId()).status(StatusType.INACTIVE));

        assertThatThrownBy(() -> iam.createAccessKey(r -> r.userName("keyed")))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("Cannot exceed quota for AccessKeysPerUser: 2");

        assertThat(iam.listAccessKeys(r -> r.userName("keyed")).accessKeyMetadata())
                .extracting(AccessKeyMetadata::accessKeyId, AccessKeyMetadata::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(first.accessKeyId(), StatusType.ACTIVE),
                        org.assertj.core.groups.Tuple.tuple(second.accessKeyId(), StatusType.INACTIVE));

        var neverUsed = iam.getAccessKeyLastUsed(r -> r.accessKeyId(first.accessKeyId()));
        assertThat(neverUsed.userName()).isEqualTo("keyed");
        assertThat(neverUsed.accessKeyLastUsed().lastUsedDate()).isNull();
        assertThat(neverUsed.accessKeyLastUsed().serviceName()).isEqualTo("N/A");

        assertThatThrownBy(() -> iam.deleteUser(r -> r.userName("keyed")))
                .isInstanceOf(DeleteConflictException.class).hasMessageContaining("must delete access keys first");
        iam.deleteAccessKey(r -> r.userName("keyed").accessKeyId(first.accessKeyId()));
        iam.deleteAccessKey(r -> r.userName("keyed").accessKeyId(second.accessKeyId()));
        assertThatThrownBy(() -> iam.deleteAccessKey(r -> r.userName("keyed").accessKeyId(second.accessKeyId())))
                .isInstanceOf(NoSuchEntityException.class);
        iam.deleteUser(r -> r.userName("keyed"));
    }

    @Test
    void missingRequiredParameterIsAValidationError() {
        assertThatThrownBy(() -> iam.createUser(r -> r.userName("")))
                .isInstanceOfSatisfying(IamException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
    }

    @Test
    void rootGetUserWithoutNameDescribesTheRoot() {
        User root = iam.getUser().user();
        assertThat(root.arn()).isEqualTo("arn:aws:iam::123456789012:root");
        assertThat(root.userId()).isEqualTo("123456789012");
    }

    @Test
    void groupsHoldUsersThatListTheirGroupsAndAMemberCannotBeDeleted() {
        iam.createUser(r -> r.userName("grouped"));
        var group = iam.createGroup(r -> r.groupName("operators")).group();
        assertThat(group.arn()).isEqualTo("arn:aws:iam::123456789012:group/operators");
        assertThatThrownBy(() -> iam.createGroup(r -> r.groupName("OPERATORS"))).isInstanceOf(EntityAlreadyExistsException.class);
        assertThat(iam.listGroupsForUser(r -> r.userName("grouped")).groups()).isEmpty();

        iam.addUserToGroup(r -> r.groupName("operators").userName("grouped"));

        assertThat(iam.listGroupsForUser(r -> r.userName("grouped")).groups()).extracting(g -> g.groupName()).containsExactly("operators");
        assertThat(iam.getGroup(r -> r.groupName("operators")).users()).extracting(User::userName).containsExactly("grouped");
        assertThatThrownBy(() -> iam.deleteUser(r -> r.userName("grouped"))).isInstanceOf(DeleteConflictException.class);
        assertThatThrownBy(() -> iam.deleteGroup(r -> r.groupName("operators"))).isInstanceOf(DeleteConflictException.class);
        assertThatThrownBy(() -> iam.addUserToGroup(r -> r.groupName("nobody").userName("grouped")))
                .isInstanceOf(NoSuchEntityException.class);

        iam.removeUserFromGroup(r -> r.groupName("operators").userName("grouped"));
        iam.deleteGroup(r -> r.groupName("operators"));
        iam.deleteUser(r -> r.userName("grouped"));
        assertThatThrownBy(() -> iam.getGroup(r -> r.groupName("operators"))).isInstanceOf(NoSuchEntityException.class);
    }
}

package io.vaultcfg.aws.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionResponse;
import software.amazon.awssdk.services.kms.model.Tag;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every KMS operation the product relies on, driven by the real SDK as the account root. */
class KmsOperationsTest {
    private static AwsEmulator aws;
    private static TestClients clients;
    private static KmsClient kms;

    @BeforeAll
    static void start() throws Exception {
        aws = AwsEmulator.start(EmulatorOptions.defaults());
        clients = new TestClients(aws);
        kms = clients.adminKms();
    }

    @AfterAll
    static void stop() {
        clients.close();
        aws.close();
    }

    private static KeyMetadata newKey(String description) {
        return kms.createKey(r -> r.description(description)).keyMetadata();
    }

    @Test
    void createKeyReturnsSymmetricEnabledKeyWithArnInTheCallersRegion() {
        KeyMetadata key = kms.createKey(r -> r.description("vault unseal").tags(Tag.builder().tagKey("app").tagValue("vault").build()))
                .keyMetadata();

        assertThat(key.keyId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(key.arn()).isEqualTo("arn:aws:kms:us-east-2:123456789012:key/" + key.keyId());
        assertThat(key.keyStateAsString()).isEqualTo("Enabled");
        assertThat(key.enabled()).isTrue();
        assertThat(key.keySpecAsString()).isEqualTo("SYMMETRIC_DEFAULT");
        assertThat(key.keyUsageAsString()).isEqualTo("ENCRYPT_DECRYPT");
        assertThat(key.description()).isEqualTo("vault unseal");
        assertThat(key.creationDate()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(5));
        assertThat(kms.listResourceTags(r -> r.keyId(key.keyId())).tags())
                .containsExactly(Tag.builder().tagKey("app").tagValue("vault").build());
    }

    @Test
    void describeKeyAcceptsIdArnAliasNameAndAliasArn() {
        KeyMetadata key = newKey("describe me");
        kms.createAlias(r -> r.aliasName("alias/describe-me").targetKeyId(key.keyId()));

        for (String reference : new String[]{key.keyId(), key.arn(), "alias/describe-me",
                "arn:aws:kms:us-east-2:123456789012:alias/describe-me"}) {
            assertThat(kms.describeKey(r -> r.keyId(reference)).keyMetadata().arn()).as(reference).isEqualTo(key.arn());
        }
    }

    @Test
    void unknownKeysAndAliasesAreNotFound() {
        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId("11111111-2222-3333-4444-555555555555")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Key 'arn:aws:kms:us-east-2:123456789012:key/11111111-2222-3333-4444-555555555555' does not exist");
        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId("alias/nope")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Alias arn:aws:kms:us-east-2:123456789012:alias/nope is not found.");
        assertThatThrownBy(() -> kms.describeKey(r -> r.keyId("arn:aws:kms:bad")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("Invalid arn");
    }

    @Test
    void encryptThenDecryptWithoutKeyIdRoundTripsAndBindsEncryptionContext() {
        KeyMetadata key = newKey("crypto");
        kms.createAlias(r -> r.aliasName("alias/crypto").targetKeyId(key.keyId()));
        EncryptResponse encrypted = kms.encrypt(r -> r.keyId("alias/crypto")
                .plaintext(SdkBytes.fromString("root key share", UTF_8)).encryptionContext(Map.of("purpose", "unseal")));

        assertThat(encrypted.keyId()).isEqualTo(key.arn());
        assertThat(encrypted.encryptionAlgorithmAsString()).isEqualTo("SYMMETRIC_DEFAULT");
        assertThat(new String(encrypted.ciphertextBlob().asByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("root key share");

        DecryptResponse decrypted = kms.decrypt(r -> r.ciphertextBlob(encrypted.ciphertextBlob())
                .encryptionContext(Map.of("purpose", "unseal")));
        assertThat(decrypted.plaintext().asUtf8String()).isEqualTo("root key share");
        assertThat(decrypted.keyId()).isEqualTo(key.arn());

        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(encrypted.ciphertextBlob())))
                .isInstanceOf(InvalidCiphertextException.class);
        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(encrypted.ciphertextBlob())
                .encryptionContext(Map.of("purpose", "other"))))
                .isInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void decryptWithMatchingKeyIdWorksAndWithAnotherKeyIsIncorrectKey() {
        KeyMetadata key = newKey("a");
        KeyMetadata other = newKey("b");
        SdkBytes blob = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("x"))).ciphertextBlob();

        assertThat(kms.decrypt(r -> r.ciphertextBlob(blob).keyId(key.arn())).plaintext().asUtf8String()).isEqualTo("x");
        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(blob).keyId(other.keyId())))
                .isInstanceOf(IncorrectKeyException.class);
    }

    @Test
    void tamperedOrForeignCiphertextIsRejected() {
        KeyMetadata key = newKey("tamper");
        byte[] blob = kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("secret"))).ciphertextBlob().asByteArray();
        blob[blob.length - 1] ^= 1;

        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(blob))))
                .isInstanceOf(InvalidCiphertextException.class);
        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromUtf8String("not a kms blob at all, really not"))))
                .isInstanceOf(InvalidCiphertextException.class);
    }

    @Test
    void ciphertextOfAKeyThisAccountDoesNotHaveIsAccessDenied() throws Exception {
        SdkBytes foreign;
        try (AwsEmulator elsewhere = AwsEmulator.start(EmulatorOptions.defaults()); TestClients other = new TestClients(elsewhere)) {
            KmsClient otherKms = other.adminKms();
            String keyId = otherKms.createKey(r -> r.description("elsewhere")).keyMetadata().keyId();
            foreign = otherKms.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("x"))).ciphertextBlob();
        }
        assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(foreign)))
                .isInstanceOfSatisfying(KmsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(e.awsErrorDetails().errorMessage()).startsWith("The ciphertext refers to a customer master key that does not exist");
                });
    }

    @Test
    void plaintextOver4096BytesIsAValidationError() {
        KeyMetadata key = newKey("big");
        assertThatThrownBy(() -> kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromByteArray(new byte[4097]))))
                .isInstanceOfSatisfying(KmsException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
    }

    @Test
    void rotationCanBeEnabledQueriedAndDisabled() {
        KeyMetadata key = newKey("rotating");
        assertThat(kms.getKeyRotationStatus(r -> r.keyId(key.keyId())).keyRotationEnabled()).isFalse();

        kms.enableKeyRotation(r -> r.keyId(key.keyId()));
        var status = kms.getKeyRotationStatus(r -> r.keyId(key.keyId()));
        assertThat(status.keyRotationEnabled()).isTrue();
        assertThat(status.rotationPeriodInDays()).isEqualTo(365);
        assertThat(status.nextRotationDate()).isAfter(Instant.now().plus(Duration.ofDays(364)));

        kms.disableKeyRotation(r -> r.keyId(key.keyId()));
        assertThat(kms.getKeyRotationStatus(r -> r.keyId(key.keyId())).keyRotationEnabled()).isFalse();
        assertThatThrownBy(() -> kms.enableKeyRotation(r -> r.keyId(key.keyId()).rotationPeriodInDays(30)))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void aliasesCanBeCreatedListedRetargetedAndDeleted() {
        KeyMetadata first = newKey("first");
        KeyMetadata second = newKey("second");
        kms.createAlias(r -> r.aliasName("alias/moving").targetKeyId(first.arn()));

        assertThatThrownBy(() -> kms.createAlias(r -> r.aliasName("alias/moving").targetKeyId(second.keyId())))
                .isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining("An alias with the name arn:aws:kms:us-east-2:123456789012:alias/moving already exists");
        assertThat(kms.listAliases(r -> r.keyId(first.keyId())).aliases()).extracting(AliasListEntry::aliasName)
                .containsExactly("alias/moving");

        kms.updateAlias(r -> r.aliasName("alias/moving").targetKeyId(second.keyId()));
        AliasListEntry moved = kms.listAliases().aliases().stream().filter(a -> a.aliasName().equals("alias/moving"))
                .findFirst().orElseThrow();
        assertThat(moved.targetKeyId()).isEqualTo(second.keyId());
        assertThat(moved.aliasArn()).isEqualTo("arn:aws:kms:us-east-2:123456789012:alias/moving");

        kms.deleteAlias(r -> r.aliasName("alias/moving"));
        assertThat(kms.listAliases().aliases()).extracting(AliasListEntry::aliasName).doesNotContain("alias/moving");
        assertThatThrownBy(() -> kms.deleteAlias(r -> r.aliasName("alias/moving"))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void reservedAndMalformedAliasNamesAreRefused() {
        KeyMetadata key = newKey("alias rules");
        assertThatThrownBy(() -> kms.createAlias(r -> r.aliasName("alias/aws/mine").targetKeyId(key.keyId())))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotAuthorizedException"));
        assertThatThrownBy(() -> kms.createAlias(r -> r.aliasName("no-prefix").targetKeyId(key.keyId())))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void listKeysPagesThroughAllKeys() {
        newKey("page 1");
        newKey("page 2");
        var firstPage = kms.listKeys(r -> r.limit(1));
        assertThat(firstPage.keys()).hasSize(1);
        assertThat(firstPage.truncated()).isTrue();
        var all = kms.listKeysPaginator(r -> r.limit(1)).keys().stream().toList();
        assertThat(all.size()).isGreaterThanOrEqualTo(2);
        assertThat(all.get(0).keyArn()).startsWith("arn:aws:kms:us-east-2:123456789012:key/");
    }

    @Test
    void descriptionAndTagsCanBeChanged() {
        KeyMetadata key = newKey("before");
        kms.updateKeyDescription(r -> r.keyId(key.keyId()).description("after"));
        kms.tagResource(r -> r.keyId(key.keyId()).tags(Tag.builder().tagKey("env").tagValue("lab").build(),
                Tag.builder().tagKey("team").tagValue("ops").build()));
        kms.untagResource(r -> r.keyId(key.keyId()).tagKeys("team"));

        assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().description()).isEqualTo("after");
        assertThat(kms.listResourceTags(r -> r.keyId(key.keyId())).tags())
                .containsExactly(Tag.builder().tagKey("env").tagValue("lab").build());
    }

    @Test
    void defaultKeyPolicyDelegatesToTheAccountAndCanBeReplaced() {
        KeyMetadata key = newKey("policy");
        String policy = kms.getKeyPolicy(r -> r.keyId(key.keyId()).policyName("default")).policy();
        assertThat(policy).contains("\"AWS\" : \"arn:aws:iam::123456789012:root\"").contains("\"kms:*\"");

        String replacement = """
                {"Version":"2012-10-17","Statement":[{"Sid":"root","Effect":"Allow",
                 "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"},
                 {"Sid":"deny-deletion","Effect":"Deny","Principal":{"AWS":"*"},"Action":"kms:ScheduleKeyDeletion","Resource":"*"}]}""";
        kms.putKeyPolicy(r -> r.keyId(key.keyId()).policyName("default").policy(replacement));
        assertThat(kms.getKeyPolicy(r -> r.keyId(key.keyId())).policy()).isEqualTo(replacement);

        assertThatThrownBy(() -> kms.putKeyPolicy(r -> r.keyId(key.keyId()).policy("{\"Statement\": 5}")))
                .isInstanceOf(MalformedPolicyDocumentException.class);
        String lockout = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/x"},
                 "Action":"kms:Decrypt","Resource":"*"}]}""";
        assertThatThrownBy(() -> kms.putKeyPolicy(r -> r.keyId(key.keyId()).policy(lockout)))
                .isInstanceOf(MalformedPolicyDocumentException.class)
                .hasMessageContaining("will not allow you to update the key policy in the future");
    }

    @Test
    void disabledKeysRefuseCryptographyUntilEnabledAgain() {
        KeyMetadata key = newKey("toggle");
        kms.disableKey(r -> r.keyId(key.keyId()));
        assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().keyState()).isEqualTo(KeyState.DISABLED);
        assertThatThrownBy(() -> kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("x"))))
                .isInstanceOf(DisabledException.class).hasMessageContaining(key.arn() + " is disabled.");

        kms.enableKey(r -> r.keyId(key.keyId()));
        assertThat(kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("x"))).keyId()).isEqualTo(key.arn());
    }

    @Test
    void keyDeletionIsScheduledWithinSevenToThirtyDaysAndCanBeCancelled() {
        KeyMetadata key = newKey("doomed");
        assertThatThrownBy(() -> kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(3)))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.getMessage()).contains(
                        "Value '3' at 'PendingWindowInDays' failed to satisfy constraint: Member must have minimum value of 7 and maximum value of 30."));

        ScheduleKeyDeletionResponse scheduled = kms.scheduleKeyDeletion(r -> r.keyId(key.keyId()).pendingWindowInDays(7));
        assertThat(scheduled.keyStateAsString()).isEqualTo("PendingDeletion");
        assertThat(scheduled.pendingWindowInDays()).isEqualTo(7);
        assertThat(scheduled.keyId()).isEqualTo(key.arn());
        assertThat(scheduled.deletionDate()).isAfter(Instant.now().plus(Duration.ofDays(6)));
        KeyMetadata pending = kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata();
        assertThat(pending.keyState()).isEqualTo(KeyState.PENDING_DELETION);
        assertThat(pending.deletionDate()).isEqualTo(scheduled.deletionDate());
        assertThatThrownBy(() -> kms.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("x"))))
                .isInstanceOf(KmsInvalidStateException.class).hasMessageContaining("is pending deletion.");

        assertThat(kms.cancelKeyDeletion(r -> r.keyId(key.keyId())).keyId()).isEqualTo(key.arn());
        assertThat(kms.describeKey(r -> r.keyId(key.keyId())).keyMetadata().keyState()).isEqualTo(KeyState.DISABLED);
        assertThatThrownBy(() -> kms.cancelKeyDeletion(r -> r.keyId(key.keyId())))
                .isInstanceOf(KmsInvalidStateException.class);
    }
}

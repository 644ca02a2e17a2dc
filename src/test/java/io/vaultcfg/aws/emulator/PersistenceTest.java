package io.vaultcfg.aws.emulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With a state file, keys, users, policies and access keys survive a restart; without one nothing is written. */
class PersistenceTest {

    @Test
    void stateSurvivesARestartAndOldCiphertextsStillDecrypt(@TempDir Path dir) throws Exception {
        Path stateFile = dir.resolve("aws-state.json");
        EmulatorOptions options = EmulatorOptions.defaults().withStateFile(stateFile);
        KeyMetadata key;
        AccessKey userKey;
        SdkBytes blob;
        try (AwsEmulator aws = AwsEmulator.start(options); TestClients clients = new TestClients(aws)) {
            key = clients.adminKms().createKey(r -> r.description("persistent")).keyMetadata();
            clients.adminKms().createAlias(r -> r.aliasName("alias/persistent").targetKeyId(key.keyId()));
            clients.adminKms().enableKeyRotation(r -> r.keyId(key.keyId()));
            clients.adminIam().createUser(r -> r.userName("vault"));
            String policyArn = clients.adminIam().createPolicy(r -> r.policyName("vault-kms")
                    .policyDocument(LeastPrivilegeAuthorizationTest.leastPrivilegePolicy(key.arn()))).policy().arn();
            clients.adminIam().attachUserPolicy(r -> r.userName("vault").policyArn(policyArn));
            clients.adminIam().createGroup(r -> r.groupName("operators"));
            clients.adminIam().addUserToGroup(r -> r.groupName("operators").userName("vault"));
            userKey = clients.adminIam().createAccessKey(r -> r.userName("vault")).accessKey();
            blob = clients.kms(TestClients.credentials(userKey))
                    .encrypt(r -> r.keyId("alias/persistent").plaintext(SdkBytes.fromUtf8String("survives"))).ciphertextBlob();
        }

        assertThat(stateFile).exists();
        assertThat(Files.getPosixFilePermissions(stateFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.list(dir)).containsExactly(stateFile);

        try (AwsEmulator aws = AwsEmulator.start(options); TestClients clients = new TestClients(aws)) {
            var userKms = clients.kms(TestClients.credentials(userKey));
            assertThat(userKms.decrypt(r -> r.ciphertextBlob(blob)).plaintext().asUtf8String()).isEqualTo("survives");
            assertThat(userKms.describeKey(r -> r.keyId("alias/persistent")).keyMetadata().description()).isEqualTo("persistent");
            assertThat(clients.adminKms().getKeyRotationStatus(r -> r.keyId(key.keyId())).keyRotationEnabled()).isTrue();
            assertThat(clients.adminIam().listAttachedUserPolicies(r -> r.userName("vault")).attachedPolicies()).hasSize(1);
            assertThat(clients.adminIam().listGroupsForUser(r -> r.userName("vault")).groups()).extracting(g -> g.groupName())
                    .containsExactly("operators");
            assertThat(clients.adminIam().getAccessKeyLastUsed(r -> r.accessKeyId(userKey.accessKeyId()))
                    .accessKeyLastUsed().serviceName()).isEqualTo("kms");
        }
    }

    @Test
    void aStateFileOfAnotherAccountIsRefused(@TempDir Path dir) throws Exception {
        Path stateFile = dir.resolve("state.json");
        try (AwsEmulator aws = AwsEmulator.start(EmulatorOptions.defaults().withStateFile(stateFile))) {
            assertThat(aws.accountId()).isEqualTo("123456789012");
        }
        assertThatThrownBy(() -> AwsEmulator.start(EmulatorOptions.defaults().withStateFile(stateFile).withAccountId("111122223333")))
                .hasMessageContaining("belongs to account 123456789012");
    }

    @Test
    void inMemoryModeWritesNothing(@TempDir Path dir) throws Exception {
        try (AwsEmulator aws = AwsEmulator.start(EmulatorOptions.defaults()); TestClients clients = new TestClients(aws)) {
            clients.adminKms().createKey(r -> r.description("ephemeral"));
        }
        try (AwsEmulator aws = AwsEmulator.start(EmulatorOptions.defaults()); TestClients clients = new TestClients(aws)) {
            assertThat(clients.adminKms().listKeys().keys()).isEmpty();
        }
        assertThat(Files.list(dir)).isEmpty();
    }
}

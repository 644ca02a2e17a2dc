package io.vaultcfg.aws.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** KMS is regional: keys and aliases belong to the region they were made in, as on AWS. */
class RegionalKeysTest {
    private static final String ALIAS = "alias/vault-auto-unseal";
    private static AwsEmulator aws;
    private static TestClients clients;
    private static KmsClient east;
    private static KmsClient west;

    @BeforeAll
    static void start() throws Exception {
        aws = AwsEmulator.start(EmulatorOptions.defaults());
        clients = new TestClients(aws);
        east = clients.kms(TestClients.credentials(aws.adminCredentials()), Region.US_EAST_2);
        west = clients.kms(TestClients.credentials(aws.adminCredentials()), Region.US_WEST_2);
    }

    @AfterAll
    static void stop() {
        clients.close();
        aws.close();
    }

    @Test
    void theSameAliasInTwoRegionsIsTwoKeys() {
        KeyMetadata eastKey = east.createKey(r -> r.description("east")).keyMetadata();
        east.createAlias(r -> r.aliasName(ALIAS).targetKeyId(eastKey.keyId()));
        KeyMetadata westKey = west.createKey(r -> r.description("west")).keyMetadata();
        west.createAlias(r -> r.aliasName(ALIAS).targetKeyId(westKey.keyId()));

        assertThat(eastKey.arn()).startsWith("arn:aws:kms:us-east-2:123456789012:key/");
        assertThat(westKey.arn()).startsWith("arn:aws:kms:us-west-2:123456789012:key/");
        KeyMetadata eastByAlias = east.describeKey(r -> r.keyId(ALIAS)).keyMetadata();
        KeyMetadata westByAlias = west.describeKey(r -> r.keyId(ALIAS)).keyMetadata();
        assertThat(eastByAlias.keyId()).isEqualTo(eastKey.keyId()).isNotEqualTo(westByAlias.keyId());
        assertThat(westByAlias.keyId()).isEqualTo(westKey.keyId());
        assertThat(westByAlias.description()).isEqualTo("west");

        assertThat(east.listAliases().aliases()).filteredOn(a -> a.aliasName().equals(ALIAS))
                .extracting(AliasListEntry::aliasArn, AliasListEntry::targetKeyId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "arn:aws:kms:us-east-2:123456789012:" + ALIAS, eastKey.keyId()));
        west.deleteAlias(r -> r.aliasName(ALIAS));
        assertThat(east.describeKey(r -> r.keyId(ALIAS)).keyMetadata().keyId()).isEqualTo(eastKey.keyId());
        assertThatThrownBy(() -> west.describeKey(r -> r.keyId(ALIAS))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void keysAndAliasesOfAnotherRegionAreNotFound() {
        KeyMetadata key = east.createKey(r -> r.description("east only")).keyMetadata();
        east.createAlias(r -> r.aliasName("alias/east-only").targetKeyId(key.keyId()));

        assertThatThrownBy(() -> west.describeKey(r -> r.keyId(key.keyId())))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> west.describeKey(r -> r.keyId(key.arn()))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> west.describeKey(r -> r.keyId("alias/east-only")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Alias arn:aws:kms:us-west-2:123456789012:alias/east-only is not found.");
        assertThatThrownBy(() -> west.describeKey(r -> r.keyId("arn:aws:kms:us-east-2:123456789012:alias/east-only")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> west.createAlias(r -> r.aliasName("alias/cross").targetKeyId(key.keyId())))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> west.scheduleKeyDeletion(r -> r.keyId(key.keyId()))).isInstanceOf(NotFoundException.class);

        assertThat(west.listKeys().keys()).extracting(KeyListEntry::keyId).doesNotContain(key.keyId());
        assertThat(west.listAliases().aliases()).extracting(AliasListEntry::aliasName).doesNotContain("alias/east-only");
        assertThat(east.listKeys().keys()).extracting(KeyListEntry::keyId).contains(key.keyId());
        assertThat(east.describeKey(r -> r.keyId(key.arn())).keyMetadata().keyState().toString()).isEqualTo("Enabled");
    }

    @Test
    void aCiphertextDecryptsOnlyInTheRegionOfItsKey() {
        KeyMetadata key = east.createKey(r -> r.description("seal")).keyMetadata();
        SdkBytes blob = east.encrypt(r -> r.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("barrier"))).ciphertextBlob();

        assertThatThrownBy(() -> west.decrypt(r -> r.ciphertextBlob(blob))).isInstanceOfSatisfying(KmsException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(e.awsErrorDetails().errorMessage()).contains("does not exist in this region");
        });
        assertThatThrownBy(() -> west.encrypt(r -> r.keyId(key.arn()).plaintext(SdkBytes.fromUtf8String("x"))))
                .isInstanceOf(NotFoundException.class);
        assertThat(east.decrypt(r -> r.ciphertextBlob(blob)).plaintext().asUtf8String()).isEqualTo("barrier");
    }

    @Test
    void regionalAliasesSurviveARestart(@TempDir Path dir) throws Exception {
        Path stateFile = dir.resolve("state.json");
        EmulatorOptions options = EmulatorOptions.defaults().withStateFile(stateFile);
        String eastKeyId;
        String westKeyId;
        try (AwsEmulator first = AwsEmulator.start(options); TestClients c = new TestClients(first)) {
            KmsClient e = c.kms(TestClients.credentials(first.adminCredentials()), Region.US_EAST_2);
            KmsClient w = c.kms(TestClients.credentials(first.adminCredentials()), Region.US_WEST_2);
            eastKeyId = e.createKey(r -> r.description("e")).keyMetadata().keyId();
            e.createAlias(r -> r.aliasName(ALIAS).targetKeyId(eastKeyId));
            westKeyId = w.createKey(r -> r.description("w")).keyMetadata().keyId();
            w.createAlias(r -> r.aliasName(ALIAS).targetKeyId(westKeyId));
        }
        assertThat(Files.readString(stateFile)).contains("\"region\" : \"us-west-2\"");
        try (AwsEmulator second = AwsEmulator.start(options); TestClients c = new TestClients(second)) {
            KmsClient e = c.kms(TestClients.credentials(second.adminCredentials()), Region.US_EAST_2);
            KmsClient w = c.kms(TestClients.credentials(second.adminCredentials()), Region.US_WEST_2);
            assertThat(e.describeKey(r -> r.keyId(ALIAS)).keyMetadata().keyId()).isEqualTo(eastKeyId);
            assertThat(w.describeKey(r -> r.keyId(ALIAS)).keyMetadata().keyId()).isEqualTo(westKeyId);
        }
    }

    @Test
    void anAliasFromAStateFileWrittenBeforeAliasesWereRegionalJoinsItsKeysRegion(@TempDir Path dir) throws Exception {
        Path stateFile = dir.resolve("state.json");
        String keyId;
        try (AwsEmulator first = AwsEmulator.start(EmulatorOptions.defaults().withStateFile(stateFile));
             TestClients c = new TestClients(first)) {
            KmsClient w = c.kms(TestClients.credentials(first.adminCredentials()), Region.US_WEST_2);
            keyId = w.createKey(r -> r.description("old")).keyMetadata().keyId();
            w.createAlias(r -> r.aliasName("alias/old-format").targetKeyId(keyId));
        }
        String current = Files.readString(stateFile);
        String oldFormat = current.replaceAll("\"region\" : \"us-west-2\",\\s*\"name\" : \"alias/old-format\"",
                "\"name\" : \"alias/old-format\"");
        assertThat(oldFormat).isNotEqualTo(current);
        Files.writeString(stateFile, oldFormat);

        try (AwsEmulator second = AwsEmulator.start(EmulatorOptions.defaults().withStateFile(stateFile));
             TestClients c = new TestClients(second)) {
            KmsClient w = c.kms(TestClients.credentials(second.adminCredentials()), Region.US_WEST_2);
            assertThat(w.describeKey(r -> r.keyId("alias/old-format")).keyMetadata().keyId()).isEqualTo(keyId);
        }
    }
}

package io.vaultcfg.aws.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.testing.SourceAddressRelay;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * The knob that denies an action to one source address: real AWS SDK clients whose connections come from two
 * loopback addresses (through relays bound to them); only the denied one is refused, and only that action.
 */
class SourceAddressDenialTest {
    static final InetAddress DENIED = address("127.0.77.2");
    static final InetAddress ALLOWED = address("127.0.77.1");

    AwsEmulator aws;
    TestClients clients;
    SourceAddressRelay deniedRelay;
    SourceAddressRelay allowedRelay;
    SdkBytes ciphertext;
    String keyId;

    static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void start() throws Exception {
        aws = AwsEmulator.start(EmulatorOptions.defaults());
        clients = new TestClients(aws);
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), aws.port());
        deniedRelay = SourceAddressRelay.start(DENIED, target);
        allowedRelay = SourceAddressRelay.start(ALLOWED, target);
        keyId = clients.adminKms().createKey(r -> r.description("unseal")).keyMetadata().keyId();
        ciphertext = clients.adminKms().encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("root key"))).ciphertextBlob();
    }

    @AfterEach
    void stop() {
        deniedRelay.close();
        allowedRelay.close();
        clients.close();
        aws.close();
    }

    /** An admin KMS client whose requests reach the emulator through {@code relay}. */
    KmsClient through(SourceAddressRelay relay) {
        return KmsClient.builder().region(TestClients.REGION).endpointOverride(relay.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(TestClients.credentials(aws.adminCredentials())))
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
    }

    String decrypt(KmsClient kms) {
        return kms.decrypt(r -> r.ciphertextBlob(ciphertext)).plaintext().asString(StandardCharsets.UTF_8);
    }

    @Test
    void decryptFromTheDeniedAddressIsAccessDeniedWhileOtherAddressesAndActionsSucceed() {
        aws.faults().denyFrom(DENIED, "kms:Decrypt");
        try (KmsClient denied = through(deniedRelay); KmsClient allowed = through(allowedRelay)) {
            assertThatThrownBy(() -> decrypt(denied)).isInstanceOfSatisfying(KmsException.class, e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorMessage()).contains("kms:Decrypt", "127.0.77.2");
            });
            assertThat(decrypt(allowed)).isEqualTo("root key");
            assertThat(decrypt(clients.adminKms())).as("from 127.0.0.1").isEqualTo("root key");
            assertThat(denied.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("x"))).ciphertextBlob().asByteArray())
                    .as("other actions from the denied address").isNotEmpty();
        }

        assertThat(aws.requestLog().entries("kms", "Decrypt"))
                .extracting(RequestLogEntry::sourceAddress, RequestLogEntry::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("127.0.77.2", "AccessDeniedException"),
                        org.assertj.core.groups.Tuple.tuple("127.0.77.1", "OK"),
                        org.assertj.core.groups.Tuple.tuple("127.0.0.1", "OK"));
    }

    @Test
    void liftingTheDenialLetsTheAddressDecryptAgain() {
        aws.faults().denyFrom(DENIED, "kms:Decrypt");
        try (KmsClient denied = through(deniedRelay)) {
            assertThatThrownBy(() -> decrypt(denied)).isInstanceOf(KmsException.class);

            aws.faults().allowFrom(DENIED, "kms:Decrypt");

            assertThat(decrypt(denied)).isEqualTo("root key");
        }
    }

    @Test
    void aBadSignatureFromTheDeniedAddressIsStillReportedAsSuch() {
        aws.faults().denyFrom(DENIED, "kms:Decrypt");
        try (KmsClient wrongSecret = KmsClient.builder().region(TestClients.REGION).endpointOverride(deniedRelay.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(software.amazon.awssdk.auth.credentials.AwsBasicCredentials
                        .create(aws.adminCredentials().accessKeyId(), "not-the-secret")))
                .httpClient(UrlConnectionHttpClient.builder().build()).build()) {
            assertThatThrownBy(() -> decrypt(wrongSecret)).isInstanceOfSatisfying(KmsException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException"));
        }
    }

    @Test
    void theKnobRefusesAnActionItCannotMatch() {
        assertThatThrownBy(() -> aws.faults().denyFrom(DENIED, "Decrypt")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> aws.faults().denyFrom(null, "kms:Decrypt")).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.vaultcfg.aws;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Proves credentials from the controller before any host gets them: DescribeKey, Encrypt and
 * Decrypt with the key pair itself, retried with backoff while IAM propagates a new key.
 */
public final class Preflight {
    private final AwsClients clients;

    public Preflight(AwsClients clients) {
        this.clients = clients;
    }

    public void prove(HeldCredentials credentials, String keyArn, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        long backoffMillis = 250;
        String lastError;
        while (true) {
            try (KmsClient kms = clients.kmsAs(credentials.accessKeyId(), credentials.secretAccessKey())) {
                roundTrip(kms, keyArn);
                return;
            } catch (SdkException | IllegalStateException e) {
                lastError = AwsFailure.of("the new access key's kms round trip", e instanceof SdkException s ? s
                        : SdkException.create(e.getMessage(), e)).getMessage();
            }
            if (Instant.now().plusMillis(backoffMillis).isAfter(deadline)) {
                throw new AwsFailure("preflight failed: access key " + credentials.accessKeyId() + " could not DescribeKey/"
                        + "Encrypt/Decrypt " + keyArn + " within " + timeout.toSeconds() + " s (" + lastError
                        + "); no host was changed");
            }
            sleep(backoffMillis);
            backoffMillis = Math.min(backoffMillis * 2, 4000);
        }
    }

    /** Also the check that a pair a host holds still works. */
    static void roundTrip(KmsClient kms, String keyArn) {
        kms.describeKey(r -> r.keyId(keyArn));
        byte[] probe = ("vaultcfg preflight " + Instant.now()).getBytes(StandardCharsets.UTF_8);
        SdkBytes ciphertext = kms.encrypt(r -> r.keyId(keyArn).plaintext(SdkBytes.fromByteArray(probe))).ciphertextBlob();
        byte[] plain = kms.decrypt(r -> r.ciphertextBlob(ciphertext)).plaintext().asByteArray();
        if (!Arrays.equals(plain, probe)) {
            throw new IllegalStateException("decrypt returned other bytes than were encrypted");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AwsFailure("interrupted during preflight");
        }
    }
}

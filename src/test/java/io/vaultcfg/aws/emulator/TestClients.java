package io.vaultcfg.aws.emulator;

import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.util.ArrayList;
import java.util.List;

/**
 * Real AWS SDK v2 clients pointed at an emulator, as a user of the product would build them. Closes every client
 * it made when closed itself.
 */
public final class TestClients implements AutoCloseable {
    public static final Region REGION = Region.US_EAST_2;

    private final AwsEmulator aws;
    private final List<AutoCloseable> made = new ArrayList<>();

    public TestClients(AwsEmulator aws) {
        this.aws = aws;
    }

    public static AwsCredentials credentials(AccessKeyPair pair) {
        return AwsBasicCredentials.create(pair.accessKeyId(), pair.secretAccessKey());
    }

    public static AwsCredentials credentials(AccessKey key) {
        return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    }

    public static AwsCredentials session(software.amazon.awssdk.services.sts.model.Credentials c) {
        return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
    }

    public KmsClient adminKms() {
        return kms(credentials(aws.adminCredentials()));
    }

    public IamClient adminIam() {
        return iam(credentials(aws.adminCredentials()));
    }

    public StsClient adminSts() {
        return sts(credentials(aws.adminCredentials()));
    }

    public KmsClient kms(AwsCredentials credentials) {
        return kms(credentials, REGION);
    }

    /** A KMS client of {@code region}: it signs for that region, so it sees that region's keys and aliases only. */
    public KmsClient kms(AwsCredentials credentials, Region region) {
        return track(KmsClient.builder().region(region).endpointOverride(aws.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .overrideConfiguration(noRetries()).build());
    }

    public IamClient iam(AwsCredentials credentials) {
        return track(IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(aws.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .overrideConfiguration(noRetries()).build());
    }

    public StsClient sts(AwsCredentials credentials) {
        return track(StsClient.builder().region(REGION).endpointOverride(aws.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .overrideConfiguration(noRetries()).build());
    }

    // Failures must show up as they are, not be hidden behind retries.
    private static ClientOverrideConfiguration noRetries() {
        return ClientOverrideConfiguration.builder().retryPolicy(RetryPolicy.none()).build();
    }

    private <T extends AutoCloseable> T track(T client) {
        made.add(client);
        return client;
    }

    @Override
    public void close() {
        for (AutoCloseable client : made) {
            try {
                client.close();
            } catch (Exception ignored) {
                // closing a client only releases its connections
            }
        }
    }
}

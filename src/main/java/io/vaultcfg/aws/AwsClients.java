package io.vaultcfg.aws;

import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * AWS clients, created only when first needed (start-up stays small when a play has no AWS task).
 * Throttling, 5xx answers and connection faults are retried by the SDK's standard strategy with
 * {@link #MAX_ATTEMPTS} attempts and jittered exponential backoff. Closed at the end of a run.
 */
public final class AwsClients implements AutoCloseable {
    /**
     * The SDK's default of 3 gives up within a second or two of throttling; a provisioning run is a
     * few dozen calls, and giving up part-way is worse than waiting (backoff is capped at 20 s).
     */
    static final int MAX_ATTEMPTS = 10;
    private volatile boolean closed;
    /** The STS client that assumes the role, when there is one. */
    private volatile StsClient roleSts;
    private final AwsSettings settings;
    private final Lazy<SdkHttpClient> http = new Lazy<>(() -> UrlConnectionHttpClient.builder().build());
    private final Lazy<AwsCredentialsProvider> credentials = new Lazy<>(this::provisioningCredentials);
    private final Lazy<KmsClient> kms = new Lazy<>(() -> kmsWith(credentials.get()));
    private final Lazy<IamClient> iam = new Lazy<>(() -> configure(IamClient.builder(), Region.AWS_GLOBAL, credentials.get()).build());
    private final Lazy<StsClient> sts = new Lazy<>(() -> configure(StsClient.builder(), region(), credentials.get()).build());

    public AwsClients(AwsSettings settings) {
        this.settings = settings;
    }

    /** Creates every client now (no request is sent), so the first reads do not pay for it. */
    public void buildAll() {
        kms();
        iam();
        sts();
    }

    public KmsClient kms() {
        return kms.get();
    }

    public IamClient iam() {
        return iam.get();
    }

    public StsClient sts() {
        return sts.get();
    }

    /** A KMS client signing with someone else's key pair: verifying what hosts hold, and the preflight. */
    public KmsClient kmsAs(String accessKeyId, String secretAccessKey) {
        return kmsWith(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
    }

    public AwsSettings settings() {
        return settings;
    }

    private KmsClient kmsWith(AwsCredentialsProvider provider) {
        return configure(KmsClient.builder(), region(), provider).build();
    }

    private Region region() {
        return Region.of(settings.region());
    }

    private <B extends AwsClientBuilder<B, C>, C> B configure(B builder, Region region, AwsCredentialsProvider provider) {
        builder.region(region).credentialsProvider(provider)
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(retryStrategy()).build());
        if (builder instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
            sync.httpClient(http.get());
        }
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }

    /**
     * Standard retries without the client-side circuit breaker: its retry quota would stop a run that
     * is throttled for a while, and one CLI run cannot overload AWS.
     */
    static RetryStrategy retryStrategy() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(maxAttempts())
                .circuitBreakerEnabled(false)
                .build();
    }

    /** {@link #MAX_ATTEMPTS}, unless the operator set the SDK's own {@code AWS_MAX_ATTEMPTS} (or {@code aws.maxAttempts}). */
    static int maxAttempts() {
        try {
            return SdkSystemSetting.AWS_MAX_ATTEMPTS.getIntegerValue().filter(attempts -> attempts >= 1).orElse(MAX_ATTEMPTS);
        } catch (IllegalStateException | NumberFormatException e) {
            return MAX_ATTEMPTS;
        }
    }

    private AwsCredentialsProvider provisioningCredentials() {
        AwsCredentialsProvider base = settings.profile()
                .<AwsCredentialsProvider>map(profile -> {
                    ProfileCredentialsProvider.Builder builder = ProfileCredentialsProvider.builder().profileName(profile);
                    settings.credentialsFile().ifPresent(file -> builder.profileFile(ProfileFile.builder()
                            .content(file).type(ProfileFile.Type.CREDENTIALS).build()));
                    return builder.build();
                })
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        if (settings.assumeRoleArn().isEmpty()) {
            return base;
        }
        StsClient baseSts = configure(StsClient.builder(), region(), base).build();
        roleSts = baseSts;
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(baseSts)
                .refreshRequest(request -> request.roleArn(settings.assumeRoleArn().get()).roleSessionName("vaultcfg"))
                .build();
    }

    @Override
    public void close() {
        closed = true;
        kms.ifCreated(KmsClient::close);
        iam.ifCreated(IamClient::close);
        sts.ifCreated(StsClient::close);
        credentials.ifCreated(provider -> {
            if (provider instanceof software.amazon.awssdk.utils.SdkAutoCloseable closeable) {
                closeable.close();
            }
        });
        if (roleSts != null) {
            roleSts.close();
        }
        http.ifCreated(SdkHttpClient::close);
    }

    /** Thread-safe lazy value. */
    private final class Lazy<T> {
        private final Supplier<T> supplier;
        private volatile T value;

        Lazy(Supplier<T> supplier) {
            this.supplier = supplier;
        }

        T get() {
            if (closed) {
                throw new IllegalStateException("the AWS clients were closed at the end of the run");
            }
            T current = value;
            if (current == null) {
                synchronized (this) {
                    if (value == null) {
                        value = supplier.get();
                    }
                    current = value;
                }
            }
            return current;
        }

        void ifCreated(java.util.function.Consumer<T> action) {
            if (value != null) {
                action.accept(value);
            }
        }
    }
}

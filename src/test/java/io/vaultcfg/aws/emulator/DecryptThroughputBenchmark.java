package io.vaultcfg.aws.emulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many Decrypt calls per second the emulator sustains for a least-privilege user (signature verification,
 * policy evaluation and AES-GCM included), measured end to end with the real SDK client on the same machine.
 * Off by default: {@code mvn -q -B test -Dtest='io.vaultcfg.aws.emulator.DecryptThroughputBenchmark' -Dbench=true}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class DecryptThroughputBenchmark {
    private static final long WARM_UP_MILLIS = 3_000;
    private static final long MEASURE_MILLIS = 10_000;

    @Test
    void decryptRequestsPerSecond() throws Exception {
        try (AwsEmulator aws = AwsEmulator.start(EmulatorOptions.defaults()); TestClients clients = new TestClients(aws)) {
            KeyMetadata key = clients.adminKms().createKey(r -> r.description("bench")).keyMetadata();
            clients.adminIam().createUser(r -> r.userName("bench"));
            clients.adminIam().putUserPolicy(r -> r.userName("bench").policyName("kms")
                    .policyDocument(LeastPrivilegeAuthorizationTest.leastPrivilegePolicy(key.arn())));
            AccessKey accessKey = clients.adminIam().createAccessKey(r -> r.userName("bench")).accessKey();
            SdkBytes blob = clients.adminKms().encrypt(r -> r.keyId(key.keyId())
                    .plaintext(SdkBytes.fromByteArray(new byte[32]))).ciphertextBlob();

            for (int threads : new int[]{1, 4}) {
                double perSecond = measure(clients, accessKey, blob, threads);
                System.out.printf("BENCH Decrypt: %d client thread(s): %.0f requests/s%n", threads, perSecond);
                assertThat(perSecond).isPositive();
            }
        }
    }

    private static double measure(TestClients clients, AccessKey accessKey, SdkBytes blob, int threads) throws Exception {
        List<KmsClient> kmsClients = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            kmsClients.add(clients.kms(TestClients.credentials(accessKey)));
        }
        LongAdder measured = new LongAdder();
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.MILLISECONDS.toNanos(WARM_UP_MILLIS);
        long end = measureFrom + TimeUnit.MILLISECONDS.toNanos(MEASURE_MILLIS);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (KmsClient kms : kmsClients) {
                runs.add(pool.submit(() -> {
                    long now;
                    while ((now = System.nanoTime()) < end) {
                        kms.decrypt(r -> r.ciphertextBlob(blob));
                        if (now >= measureFrom) {
                            measured.increment();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return measured.sum() / (MEASURE_MILLIS / 1000.0);
    }
}

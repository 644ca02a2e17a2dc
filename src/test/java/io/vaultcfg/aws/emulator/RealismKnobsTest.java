package io.vaultcfg.aws.emulator;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.iam.model.IamException;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The knobs that make the emulator behave like real AWS at its less convenient moments. */
class RealismKnobsTest {

    @Test
    void aNewAccessKeyIsRejectedUntilTheActivationDelayHasPassed() throws Exception {
        EmulatorOptions options = EmulatorOptions.defaults().withAccessKeyActivationDelay(Duration.ofMillis(1500));
        try (AwsEmulator aws = AwsEmulator.start(options); TestClients clients = new TestClients(aws)) {
            clients.adminIam().createUser(r -> r.userName("fresh"));
            AccessKey key = clients.adminIam().createAccessKey(r -> r.userName("fresh")).accessKey();
            var sts = clients.sts(TestClients.credentials(key));

            assertThatThrownBy(sts::getCallerIdentity).hasMessageContaining("The security token included in the request is invalid");
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(sts.getCallerIdentity().arn()).endsWith(":user/fresh"));
        }
    }

    @Test
    void throttlingAnswersWithTheProtocolsThrottlingError() throws Exception {
        try (AwsEmulator aws = AwsEmulator.start(EmulatorOptions.defaults().withThrottleRate(1.0));
             TestClients clients = new TestClients(aws)) {
            assertThatThrownBy(() -> clients.adminKms().listKeys()).isInstanceOfSatisfying(KmsException.class, e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.isThrottlingException()).isTrue();
            });
            assertThatThrownBy(() -> clients.adminIam().listUsers()).isInstanceOfSatisfying(IamException.class, e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
                assertThat(e.isThrottlingException()).isTrue();
            });
            assertThat(aws.requestLog().entries("kms", "ListKeys")).last()
                    .satisfies(entry -> assertThat(entry.outcome()).isEqualTo("ThrottlingException"));
        }
    }

    @Test
    void offByDefault() throws Exception {
        try (AwsEmulator aws = AwsEmulator.start(EmulatorOptions.defaults()); TestClients clients = new TestClients(aws)) {
            clients.adminIam().createUser(r -> r.userName("immediate"));
            AccessKey key = clients.adminIam().createAccessKey(r -> r.userName("immediate")).accessKey();
            for (int i = 0; i < 20; i++) {
                assertThat(clients.sts(TestClients.credentials(key)).getCallerIdentity().arn()).endsWith(":user/immediate");
            }
        }
    }
}

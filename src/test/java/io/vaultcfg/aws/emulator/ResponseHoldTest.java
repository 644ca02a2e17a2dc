package io.vaultcfg.aws.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.emulator.http.ResponseHold;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.CreateAccessKeyResponse;

/**
 * The knob that holds back one answer after its request took effect, so a test can kill a caller at a chosen step:
 * the request's change is visible to others while its caller still waits, only the first matching request waits, and
 * every other request is served meanwhile.
 */
class ResponseHoldTest {
    AwsEmulator aws;
    TestClients clients;

    @BeforeEach
    void start() throws Exception {
        aws = AwsEmulator.start(EmulatorOptions.defaults());
        clients = new TestClients(aws);
        clients.adminIam().createUser(r -> r.userName("seal"));
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.close();
    }

    @Test
    void theFirstMatchingAnswerWaitsUntilReleasedWhileItsChangeIsAlreadyMade() throws Exception {
        ResponseHold hold = aws.faults().holdResponse((entry, request) -> "CreateAccessKey".equals(entry.action()));

        CompletableFuture<CreateAccessKeyResponse> create = CompletableFuture.supplyAsync(
                () -> clients.adminIam().createAccessKey(r -> r.userName("seal")));
        Optional<RequestLogEntry> held = hold.awaitHeld(Duration.ofSeconds(30));

        assertThat(held).hasValueSatisfying(entry -> assertThat(entry.succeeded()).isTrue());
        assertThat(clients.adminIam().listAccessKeys(r -> r.userName("seal")).accessKeyMetadata())
                .as("the key exists while its creator still waits for the answer").hasSize(1);
        assertThat(create).isNotDone();
        CreateAccessKeyResponse second = clients.adminIam().createAccessKey(r -> r.userName("seal"));
        assertThat(second.accessKey().accessKeyId()).as("only the first match is held").isNotBlank();

        hold.release();
        assertThat(create.get(30, TimeUnit.SECONDS).accessKey().accessKeyId()).isNotEqualTo(second.accessKey().accessKeyId());
        assertThat(clients.adminIam().listAccessKeys(r -> r.userName("seal")).accessKeyMetadata()).hasSize(2);
    }

    @Test
    void aHoldNoRequestMatchedTakesNothingOnceReleased() throws Exception {
        ResponseHold hold = aws.faults().holdResponse((entry, request) -> "DeleteAccessKey".equals(entry.action()));
        assertThat(hold.awaitHeld(Duration.ofMillis(50))).isEmpty();
        hold.release();
        String id = clients.adminIam().createAccessKey(r -> r.userName("seal")).accessKey().accessKeyId();

        clients.adminIam().deleteAccessKey(r -> r.userName("seal").accessKeyId(id));

        assertThat(hold.awaitHeld(Duration.ofMillis(50))).isEmpty();
        assertThat(clients.adminIam().listAccessKeys(r -> r.userName("seal")).accessKeyMetadata()).isEmpty();
    }
}

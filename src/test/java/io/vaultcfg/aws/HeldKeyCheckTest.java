package io.vaultcfg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.aws.emulator.http.FaultInjector.Fault;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.LocalFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * A pair the hosts hold that AWS could not check (throttled past the retries, a 5xx) is not a rejected pair:
 * the run stops before any AWS write instead of making a new key for a fleet whose key works.
 */
class HeldKeyCheckTest {
    static final String ADMIN_KEY = ProvisioningScenarios.ADMIN_KEY;
    static final String ADMIN_SECRET = ProvisioningScenarios.ADMIN_SECRET;
    static final String USER = "vault-auto-unseal-us-east-2";

    @TempDir
    Path dir;
    AwsEmulator emulator;

    @BeforeEach
    void start() throws IOException {
        System.setProperty("aws.accessKeyId", ADMIN_KEY);
        System.setProperty("aws.secretAccessKey", ADMIN_SECRET);
        // The SDK's own setting: two attempts keep a run that is throttled throughout short.
        System.setProperty("aws.maxAttempts", "2");
        emulator = AwsEmulator.start(EmulatorOptions.defaults().withAdmin(new AccessKeyPair(ADMIN_KEY, ADMIN_SECRET)));
    }

    @AfterEach
    void stop() {
        System.clearProperty("aws.maxAttempts");
        emulator.close();
    }

    @Test
    void aThrottledCheckOfTheHeldKeyStopsTheRunWithoutANewKey() throws IOException {
        stopsWithoutChanges(Fault.THROTTLING, "ThrottlingException");
    }

    @Test
    void aServerErrorOnTheCheckOfTheHeldKeyStopsTheRunWithoutANewKey() throws IOException {
        stopsWithoutChanges(Fault.INTERNAL_ERROR, "KMSInternalException");
    }

    private void stopsWithoutChanges(Fault fault, String answer) throws IOException {
        LocalFleet fleet = new LocalFleet(dir.resolve("east"), List.of("vault-01", "vault-02"));
        Path inventory = fleet.writeInventory(Map.of("aws_region", "us-east-2",
                "aws_endpoint_url", emulator.endpoint().toString(), "aws_preflight_timeout", "30"));
        assertThat(apply(fleet, inventory).exitCode()).isZero();
        String envBefore = Files.readString(fleet.envFile("vault-01"));
        HeldCredentials held = HeldCredentials.fromEnvFile(envBefore).orElseThrow();
        emulator.faults().failRequestsSignedBy(held.accessKeyId(), fault);
        emulator.requestLog().clear();

        CliRun run = apply(fleet, inventory);

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stdout()).contains("could not check access key " + held.accessKeyId() + " of hosts vault-01, vault-02",
                "kms:DescribeKey failed: " + answer, "nothing was changed by this play; run again", "PLAY RECAP");
        assertThat(run.all()).doesNotContain(held.secretAccessKey());
        assertThat(emulator.requestLog().entries()).as("the held key was tried, and retried")
                .filteredOn(e -> held.accessKeyId().equals(e.accessKeyId())).extracting(RequestLogEntry::outcome)
                .hasSizeGreaterThanOrEqualTo(2).allMatch(answer::equals);
        assertThat(writesByAdmin()).as("no AWS write").isEmpty();
        assertThat(Files.readString(fleet.envFile("vault-01"))).isEqualTo(envBefore);
        assertThat(Files.readString(fleet.envFile("vault-02"))).isEqualTo(envBefore);

        emulator.faults().failRequestsSignedBy(held.accessKeyId(), null);
        emulator.requestLog().clear();
        assertThat(apply(fleet, inventory).exitCode()).isZero();
        assertThat(writesByAdmin()).as("once AWS answers, the key is in sync").isEmpty();
        assertThat(Files.readString(fleet.envFile("vault-01"))).isEqualTo(envBefore);
    }

    @Test
    void onlyAnswersAboutTheCredentialsAreRejections() {
        for (String code : List.of("UnrecognizedClientException", "InvalidSignatureException", "AccessDeniedException",
                "InvalidClientTokenId", "SignatureDoesNotMatch", "IncompleteSignatureException")) {
            assertThat(HeldKeyCheck.rejectsCredentials(kmsError(code, 400))).as(code).isTrue();
        }
        assertThat(HeldKeyCheck.rejectsCredentials(kmsError("ThrottlingException", 400))).isFalse();
        assertThat(HeldKeyCheck.rejectsCredentials(kmsError("KMSInternalException", 500))).isFalse();
        assertThat(HeldKeyCheck.rejectsCredentials(kmsError("AccessDeniedException", 503))).isFalse();
        assertThat(HeldKeyCheck.rejectsCredentials(kmsError("NotFoundException", 400))).isFalse();
        assertThat(HeldKeyCheck.rejectsCredentials(SdkClientException.create("Connection refused"))).isFalse();
    }

    private static KmsException kmsError(String code, int status) {
        return (KmsException) KmsException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build()).build();
    }

    private CliRun apply(LocalFleet fleet, Path inventory) {
        return CliRun.run(fleet.connector(), Map.of(), "", "apply", inventory.toString());
    }

    private List<RequestLogEntry> writesByAdmin() {
        return emulator.requestLog().entries().stream()
                .filter(e -> ADMIN_KEY.equals(e.accessKeyId()))
                .filter(e -> EmulatorProvisioningTest.READ_PREFIXES.stream().noneMatch(e.action()::startsWith))
                .toList();
    }
}

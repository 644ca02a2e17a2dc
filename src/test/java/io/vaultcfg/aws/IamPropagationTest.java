package io.vaultcfg.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.LocalFleet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/** IAM's propagation delay: the emulator's knob, and the applier riding it out (bounded) on a first run. */
class IamPropagationTest {
    static final String ADMIN_KEY = ProvisioningScenarios.ADMIN_KEY;
    static final String ADMIN_SECRET = ProvisioningScenarios.ADMIN_SECRET;
    static final String USER = "vault-auto-unseal-us-east-2";

    @TempDir
    Path dir;
    AwsEmulator emulator;

    @BeforeEach
    void credentials() {
        System.setProperty("aws.accessKeyId", ADMIN_KEY);
        System.setProperty("aws.secretAccessKey", ADMIN_SECRET);
    }

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    void start(Duration propagationDelay) throws IOException {
        emulator = AwsEmulator.start(EmulatorOptions.defaults().withAdmin(new AccessKeyPair(ADMIN_KEY, ADMIN_SECRET))
                .withIamPropagationDelay(propagationDelay));
    }

    @Test
    void theEmulatorHidesANewUserAndPolicyFromOtherCallsUntilTheyPropagated() throws Exception {
        start(Duration.ofMillis(800));
        try (IamClient iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(emulator.endpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ADMIN_KEY, ADMIN_SECRET)))
                .build()) {
            long start = System.nanoTime();
            iam.createUser(r -> r.userName("fresh"));
            String policyArn = iam.createPolicy(r -> r.policyName("fresh-kms").policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:DescribeKey\",\"Resource\":\"*\"}]}"))
                    .policy().arn();

            assertThatThrownBy(() -> iam.createAccessKey(r -> r.userName("fresh"))).isInstanceOf(NoSuchEntityException.class);
            assertThatThrownBy(() -> iam.getPolicy(r -> r.policyArn(policyArn))).isInstanceOf(NoSuchEntityException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("still within the delay").isLessThan(Duration.ofMillis(800));

            Thread.sleep(900);
            iam.attachUserPolicy(r -> r.userName("fresh").policyArn(policyArn));
            assertThat(iam.createAccessKey(r -> r.userName("fresh")).accessKey().accessKeyId()).startsWith("AKIA");
        }
    }

    @Test
    void aFirstApplyRidesOutAOneSecondPropagationDelay() throws IOException {
        start(Duration.ofSeconds(1));
        LocalFleet fleet = new LocalFleet(dir.resolve("east"), List.of("vault-01", "vault-02"));
        Path inventory = fleet.writeInventory(Map.of("aws_region", "us-east-2",
                "aws_endpoint_url", emulator.endpoint().toString(), "aws_preflight_timeout", "30"));

        CliRun run = CliRun.run(fleet.connector(), Map.of(), "", "apply", inventory.toString());

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(emulator.requestLog().entries()).as("IAM did answer NoSuchEntity at first")
                .anyMatch(e -> e.action().equals("AttachUserPolicy") && e.outcome().equals("NoSuchEntity"))
                .anyMatch(e -> e.action().equals("AttachUserPolicy") && e.succeeded());
        HeldCredentials pair = AwsGuardsTest.held(fleet, "vault-01");
        assertThat(AwsGuardsTest.held(fleet, "vault-02")).isEqualTo(pair);
        assertThat(emulator.requestLog().entries()).filteredOn(e -> e.action().equals("CreateAccessKey") && e.succeeded())
                .hasSize(1);
    }

    @Test
    void theRetryIsBoundedAndSaysWhatItWaitedFor() throws IOException {
        start(Duration.ofHours(1));
        AwsSettings settings = new AwsSettings("us-east-2", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(emulator.endpoint()), Duration.ofSeconds(5));
        SealResources names = new SealResources("alias/vault-auto-unseal", "vault seal", USER, USER + "-kms",
                false, false, Map.of());
        try (AwsClients clients = new AwsClients(settings)) {
            AwsState state = new AwsReader(clients).read(names);
            AwsPlan plan = AwsPlanner.plan(state, names, "us-east-2",
                    List.of(FleetMember.read("vault-01", true, Optional.empty(), Optional.empty(), FleetMember.Node.NOT_INITIALIZED)),
                    pair -> false, id -> Optional.empty());
            AwsApplier applier = new AwsApplier(clients, secret -> { },
                    new IamPropagation(3, Duration.ofMillis(10), Duration.ofMillis(20)));
            long start = System.nanoTime();

            assertThatThrownBy(() -> applier.apply(plan)).isInstanceOf(AwsFailure.class)
                    .hasMessageContaining("could not attach policy " + USER + "-kms")
                    .hasMessageContaining("NoSuchEntity")
                    .hasMessageContaining("IAM user " + USER + " was created by this run; still not found after 3 attempts")
                    .hasMessageContaining("already made in AWS:")
                    .hasMessageNotContaining("something else changed or deleted it");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
        assertThat(emulator.requestLog().entries()).filteredOn(e -> e.action().equals("AttachUserPolicy"))
                .extracting(RequestLogEntry::outcome).containsExactly("NoSuchEntity", "NoSuchEntity", "NoSuchEntity");
    }
}

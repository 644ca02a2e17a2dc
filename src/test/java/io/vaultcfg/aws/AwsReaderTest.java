package io.vaultcfg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reads of a run's AWS phase: the same state whether read one after another or side by side, and side by side
 * wherever one read does not need another's answer (the run's AWS phase shares two cores with every host's handshake,
 * so a chain of reads one after another is what the run waits for).
 */
class AwsReaderTest {
    static final String USER = "vault-auto-unseal-us-east-2";

    AwsEmulator emulator;
    ExecutorService threads = Executors.newCachedThreadPool();
    AtomicInteger handedOver = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        emulator = AwsEmulator.start(EmulatorOptions.defaults().withAdmin(
                new AccessKeyPair(ProvisioningScenarios.ADMIN_KEY, ProvisioningScenarios.ADMIN_SECRET)));
        System.setProperty("aws.accessKeyId", ProvisioningScenarios.ADMIN_KEY);
        System.setProperty("aws.secretAccessKey", ProvisioningScenarios.ADMIN_SECRET);
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        emulator.close();
    }

    @Test
    void aProvisionedAccountReadsTheSameSideBySideAndEveryIndependentReadIsHandedOver() {
        SealResources names = names(false);
        try (AwsClients clients = clients()) {
            provision(clients, names);
            AwsState oneAfterAnother = new AwsReader(clients).read(names);
            AwsState sideBySide = new AwsReader(clients, counted()).read(names);

            assertThat(sideBySide).isEqualTo(oneAfterAnother);
            assertThat(sideBySide.user()).hasValueSatisfying(user -> {
                assertThat(user.accessKeys()).hasSize(1);
                assertThat(user.attached()).extracting(AwsState.AttachedPolicy::name).containsExactly(USER + "-kms");
                assertThat(user.tags()).isNotEmpty();
            });
            assertThat(sideBySide.policy()).hasValueSatisfying(policy -> assertThat(policy.versions()).hasSize(1));
            // the key and the user; then the user's four reads after GetUser (its tags came with it), the policy's two
            // after GetPolicy
            assertThat(handedOver).hasValue(2 + 4 + 1 + 2);
            assertThat(emulator.requestLog().entries()).noneMatch(e -> e.action().equals("ListUserTags"));
        }
    }

    @Test
    void aUserWithoutTagsInGetUsersAnswerHasThemAskedFor() {
        SealResources names = names(false);
        try (AwsClients clients = clients()) {
            provision(clients, names);
            List<String> keys = clients.iam().listUserTags(r -> r.userName(USER)).tags().stream().map(tag -> tag.key()).toList();
            clients.iam().untagUser(r -> r.userName(USER).tagKeys(keys));
            emulator.requestLog().clear();

            AwsState state = new AwsReader(clients, counted()).read(names);

            assertThat(state.user().orElseThrow().tags()).isEmpty();
            assertThat(emulator.requestLog().entries()).filteredOn(e -> e.action().equals("ListUserTags")).hasSize(1);
        }
    }

    @Test
    void anInlinePolicyIsReadOnceItsNameIsListed() {
        SealResources names = names(true);
        try (AwsClients clients = clients()) {
            provision(clients, names);
            AwsState oneAfterAnother = new AwsReader(clients).read(names);
            AwsState sideBySide = new AwsReader(clients, counted()).read(names);

            assertThat(sideBySide).isEqualTo(oneAfterAnother);
            assertThat(sideBySide.user().orElseThrow().inlineSealDocument()).hasValueSatisfying(document ->
                    assertThat(document).contains("kms:Decrypt"));
        }
    }

    @Test
    void anEmptyAccountReadsAsNothingSideBySide() {
        try (AwsClients clients = clients()) {
            AwsState state = new AwsReader(clients, counted()).read(names(false));

            assertThat(state.key()).isEmpty();
            assertThat(state.user()).isEmpty();
            assertThat(state.policy()).isEmpty();
            assertThat(emulator.requestLog().entries()).extracting(e -> e.action())
                    .containsExactlyInAnyOrder("GetCallerIdentity", "DescribeKey", "GetUser", "GetPolicy");
        }
    }

    private java.util.concurrent.Executor counted() {
        return task -> {
            handedOver.incrementAndGet();
            threads.execute(task);
        };
    }

    private AwsClients clients() {
        return new AwsClients(new AwsSettings("us-east-2", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(emulator.endpoint()), Duration.ofSeconds(5)));
    }

    private static SealResources names(boolean inline) {
        return new SealResources("alias/vault-auto-unseal", "vault seal", USER, USER + "-kms", inline, false,
                Map.of("vaultcfg:fleet", "alias/vault-auto-unseal@us-east-2"));
    }

    private static void provision(AwsClients clients, SealResources names) {
        AwsPlan plan = AwsPlanner.plan(new AwsReader(clients).read(names), names, "us-east-2",
                List.of(FleetMember.read("vault-01", true, Optional.empty(), Optional.empty(), FleetMember.Node.NOT_INITIALIZED)),
                pair -> false, id -> Optional.empty());
        new AwsApplier(clients, secret -> { }, new IamPropagation(3, Duration.ofMillis(10), Duration.ofMillis(20))).apply(plan);
    }
}

package io.vaultcfg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.LocalFleet;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.kms.KmsClient;

/** Account, region, endpoint and fleet guards, AWS faults, and what a failed AWS write says: against the emulator. */
class AwsGuardsTest {
    static final String ADMIN_KEY = ProvisioningScenarios.ADMIN_KEY;
    static final String ADMIN_SECRET = ProvisioningScenarios.ADMIN_SECRET;
    static final String ACCOUNT = EmulatorOptions.DEFAULT_ACCOUNT_ID;
    static final String EAST_USER = "vault-auto-unseal-us-east-2";

    @TempDir
    Path dir;
    AwsEmulator emulator;
    final AtomicBoolean armed = new AtomicBoolean();
    volatile Consumer<RequestLogEntry> onRequest = entry -> { };

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

    void start(EmulatorOptions options) throws IOException {
        emulator = AwsEmulator.start(options.withAdmin(new AccessKeyPair(ADMIN_KEY, ADMIN_SECRET))
                .withLogListener(entry -> onRequest.accept(entry)));
    }

    LocalFleet fleet(String name, String... hosts) throws IOException {
        return new LocalFleet(dir.resolve(name), List.of(hosts));
    }

    Path inventory(LocalFleet fleet, String region) throws IOException {
        return fleet.writeInventory(Map.of("aws_region", region, "aws_endpoint_url", emulator.endpoint().toString(),
                "aws_preflight_timeout", "30"));
    }

    static CliRun apply(LocalFleet fleet, Path inventory, String... args) {
        List<String> full = new ArrayList<>(List.of("apply", inventory.toString()));
        full.addAll(List.of(args));
        return CliRun.run(fleet.connector(), Map.of(), "", full.toArray(String[]::new));
    }

    static CliRun applied(LocalFleet fleet, Path inventory, String... args) {
        CliRun run = apply(fleet, inventory, args);
        assertThat(run.exitCode()).as(run.all()).isZero();
        return run;
    }

    IamClient iam() {
        return IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(emulator.endpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ADMIN_KEY, ADMIN_SECRET))).build();
    }

    KmsClient kmsAs(String region, HeldCredentials pair) {
        return KmsClient.builder().region(Region.of(region)).endpointOverride(emulator.endpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(pair.accessKeyId(), pair.secretAccessKey()))).build();
    }

    static HeldCredentials held(LocalFleet fleet, String host) throws IOException {
        return HeldCredentials.fromEnvFile(Files.readString(fleet.envFile(host))).orElseThrow();
    }

    List<RequestLogEntry> writesByAdmin() {
        return emulator.requestLog().entries().stream()
                .filter(e -> ADMIN_KEY.equals(e.accessKeyId()))
                .filter(e -> EmulatorProvisioningTest.READ_PREFIXES.stream().noneMatch(e.action()::startsWith))
                .toList();
    }

    @Test
    void aWrongAccountIdIsRefusedAfterGetCallerIdentityAndNothingElse() throws IOException {
        start(EmulatorOptions.defaults());
        LocalFleet fleet = fleet("east", "vault-01", "vault-02");
        Path inventory = inventory(fleet, "us-east-2");

        CliRun run = apply(fleet, inventory, "-e", "aws_account_id=999999999999");

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stdout()).contains("refused", "AWS account " + ACCOUNT, "aws_account_id is 999999999999");
        assertThat(emulator.requestLog().entries()).extracting(RequestLogEntry::action).containsExactly("GetCallerIdentity");
        assertThat(fleet.envFile("vault-01")).doesNotExist();

        emulator.requestLog().clear();
        applied(fleet, inventory, "-e", "aws_account_id=" + ACCOUNT);
        assertThat(emulator.requestLog().entries().get(0).action()).as("the account is checked first").isEqualTo("GetCallerIdentity");
    }

    @Test
    void aMalformedAccountIdIsBadInput() throws IOException {
        start(EmulatorOptions.defaults());
        LocalFleet fleet = fleet("east", "vault-01");
        CliRun run = apply(fleet, inventory(fleet, "us-east-2"), "-e", "aws_account_id=12345");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("auto-unseal.yml:", "account_id", "12 digits", "Nothing was changed.");
        assertThat(emulator.requestLog().entries()).isEmpty();
    }

    @Test
    void plainHttpToAnotherHostIsRefusedAtInputForBothEndpoints() throws IOException {
        start(EmulatorOptions.defaults());
        LocalFleet fleet = fleet("east", "vault-01");
        Path inventory = inventory(fleet, "us-east-2");

        CliRun controller = apply(fleet, inventory, "-e", "aws_endpoint_url=http://10.20.30.40:4566");
        assertThat(controller.exitCode()).isEqualTo(1);
        assertThat(controller.stderr()).contains("auto-unseal.yml:", "endpoint", "http://10.20.30.40:4566", "clear text",
                "Nothing was changed.");

        CliRun seal = apply(fleet, inventory, "-e", "vault_kms_endpoint=http://kms.internal.example:8080");
        assertThat(seal.exitCode()).isEqualTo(1);
        assertThat(seal.stderr()).contains("auto-unseal.yml:", "seal_endpoint", "kms.internal.example", "clear text",
                "Nothing was changed.");

        assertThat(emulator.requestLog().entries()).as("nothing contacted").isEmpty();
        assertThat(fleet.envFile("vault-01")).doesNotExist();
        // loopback over http stays accepted (the emulator itself is http://127.0.0.1)
        applied(fleet, inventory, "-e", "vault_kms_endpoint=http://127.0.0.1:1/");
    }

    @Test
    void aHostWhoseRegionDiffersFromTheProvisionedOneIsRefusedAtInput() throws IOException {
        start(EmulatorOptions.defaults());
        LocalFleet fleet = fleet("east", "vault-01", "vault-02");
        Path inventory = inventory(fleet, "us-east-2");
        String yaml = Files.readString(inventory).replaceFirst("(\\n +vault-02:\\n)", "$1          aws_region: us-west-2\n");
        Files.writeString(inventory, yaml);

        CliRun run = apply(fleet, inventory);

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stderr()).contains("auto-unseal.yml:", "region", "us-west-2", "us-east-2", "Nothing was changed.");
        assertThat(emulator.requestLog().entries()).isEmpty();
    }

    @Test
    void theSealStanzaAndVaultEnvNameTheRegionOfTheKey() throws IOException {
        start(EmulatorOptions.defaults());
        LocalFleet fleet = fleet("west", "vault-01");
        applied(fleet, inventory(fleet, "us-west-2"));

        String stanza = Files.readString(fleet.root("vault-01").resolve("etc/vault.d/seal-awskms.hcl"));
        String env = Files.readString(fleet.envFile("vault-01"));
        try (KmsClient kms = kmsAs("us-west-2", held(fleet, "vault-01"))) {
            String keyArn = kms.describeKey(r -> r.keyId("alias/vault-auto-unseal")).keyMetadata().arn();
            assertThat(keyArn.split(":")[3]).isEqualTo("us-west-2");
        }
        assertThat(stanza).contains("region     = \"us-west-2\"");
        assertThat(env).contains("AWS_DEFAULT_REGION=us-west-2");
    }

    @Test
    void twoFleetsInTwoRegionsWithDefaultNamesLeaveEachOtherAlone() throws IOException {
        start(EmulatorOptions.defaults());
        LocalFleet east = fleet("east", "east-01", "east-02");
        LocalFleet west = fleet("west", "west-01", "west-02");
        Path eastInventory = inventory(east, "us-east-2");
        Path westInventory = inventory(west, "us-west-2");

        applied(east, eastInventory);
        HeldCredentials eastKey = held(east, "east-01");
        applied(west, westInventory);
        HeldCredentials westKey = held(west, "west-01");
        emulator.requestLog().clear();
        CliRun eastAgain = applied(east, eastInventory);
        CliRun westAgain = applied(west, westInventory);

        assertThat(writesByAdmin()).as("the second runs of both fleets write nothing").isEmpty();
        assertThat(eastAgain.stdout() + westAgain.stdout()).doesNotContain("| changed |");
        assertThat(held(east, "east-02")).isEqualTo(eastKey);
        assertThat(held(west, "west-02")).isEqualTo(westKey);
        assertThat(eastKey.accessKeyId()).isNotEqualTo(westKey.accessKeyId());
        try (IamClient iam = iam()) {
            for (String[] fleet : List.of(new String[] {EAST_USER, "us-east-2", eastKey.accessKeyId()},
                    new String[] {"vault-auto-unseal-us-west-2", "us-west-2", westKey.accessKeyId()})) {
                String user = fleet[0];
                assertThat(iam.listAccessKeys(r -> r.userName(user)).accessKeyMetadata())
                        .extracting(k -> k.accessKeyId()).containsExactly(fleet[2]);
                assertThat(iam.listUserTags(r -> r.userName(user)).tags())
                        .contains(Tag.builder().key("vaultcfg:fleet").value("alias/vault-auto-unseal@" + fleet[1]).build());
                var policy = iam.getPolicy(r -> r.policyArn("arn:aws:iam::" + ACCOUNT + ":policy/" + user + "-kms")).policy();
                String document = iam.getPolicyVersion(r -> r.policyArn(policy.arn()).versionId(policy.defaultVersionId()))
                        .policyVersion().document();
                assertThat(SealPolicyDocument.decode(document)).contains(":kms:" + fleet[1] + ":");
            }
        }
        try (KmsClient eastKms = kmsAs("us-east-2", eastKey); KmsClient westKms = kmsAs("us-west-2", westKey)) {
            Preflight.roundTrip(eastKms, eastKms.describeKey(r -> r.keyId("alias/vault-auto-unseal")).keyMetadata().arn());
            Preflight.roundTrip(westKms, westKms.describeKey(r -> r.keyId("alias/vault-auto-unseal")).keyMetadata().arn());
        }
    }

    @Test
    void aFleetOnTheOldDefaultUserKeepsItAndIsNotReKeyed() throws IOException {
        start(EmulatorOptions.defaults());
        LocalFleet fleet = fleet("east", "vault-01", "vault-02");
        Path inventory = inventory(fleet, "us-east-2");
        // what an earlier vaultcfg made: the unsuffixed names, no fleet tag
        applied(fleet, inventory, "-e", "iam_user=vault-auto-unseal", "-e", "iam_policy=vault-auto-unseal-kms");
        try (IamClient iam = iam()) {
            iam.untagUser(r -> r.userName("vault-auto-unseal").tagKeys("vaultcfg:fleet"));
        }
        HeldCredentials before = held(fleet, "vault-01");
        emulator.requestLog().clear();

        CliRun upgraded = applied(fleet, inventory);

        assertThat(upgraded.stdout()).contains("vault-auto-unseal and policy vault-auto-unseal-kms", "kept",
                "tag IAM user vault-auto-unseal: vaultcfg:fleet=alias/vault-auto-unseal@us-east-2");
        assertThat(writesByAdmin()).extracting(RequestLogEntry::action).containsExactly("TagUser");
        assertThat(held(fleet, "vault-01")).isEqualTo(before);
        assertThat(held(fleet, "vault-02")).isEqualTo(before);
        try (IamClient iam = iam()) {
            assertThat(iam.listUsers().users()).extracting(u -> u.userName()).containsExactly("vault-auto-unseal");
            assertThat(iam.listAccessKeys(r -> r.userName("vault-auto-unseal")).accessKeyMetadata())
                    .extracting(k -> k.accessKeyId()).containsExactly(before.accessKeyId());
        }
        emulator.requestLog().clear();
        applied(fleet, inventory);
        assertThat(writesByAdmin()).isEmpty();
    }

    @Test
    void aUserTaggedForAnotherFleetIsNotTouched() throws IOException {
        start(EmulatorOptions.defaults());
        LocalFleet fleet = fleet("east", "vault-01");
        Path inventory = inventory(fleet, "us-east-2");
        applied(fleet, inventory);
        try (IamClient iam = iam()) {
            // IAM tag keys are case-insensitive: another tool or a hand may have written it in capitals
            iam.untagUser(r -> r.userName(EAST_USER).tagKeys("vaultcfg:fleet"));
            iam.tagUser(r -> r.userName(EAST_USER).tags(Tag.builder().key("VAULTCFG:FLEET").value("dr-site").build()));
        }
        Files.delete(fleet.envFile("vault-01"));
        emulator.requestLog().clear();

        CliRun run = apply(fleet, inventory);

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stdout()).contains("refused: IAM user " + EAST_USER + " is tagged vaultcfg:fleet=dr-site",
                "alias/vault-auto-unseal@us-east-2", "aws iam tag-user");
        assertThat(writesByAdmin()).isEmpty();
        assertThat(fleet.envFile("vault-01")).doesNotExist();
        try (IamClient iam = iam()) {
            assertThat(iam.listAccessKeys(r -> r.userName(EAST_USER)).accessKeyMetadata()).hasSize(1);
        }
        applied(fleet, inventory, "-e", "vaultcfg_fleet=dr-site");
    }

    @Test
    void throttlingAndAnAccessKeyActivationDelayAreRiddenOut() throws IOException {
        start(EmulatorOptions.defaults().withThrottleRate(0.3).withAccessKeyActivationDelay(Duration.ofSeconds(3)));
        LocalFleet fleet = fleet("east", "vault-01", "vault-02");
        Path inventory = inventory(fleet, "us-east-2");

        applied(fleet, inventory);

        HeldCredentials pair = held(fleet, "vault-01");
        List<RequestLogEntry> log = emulator.requestLog().entries();
        assertThat(log).as("throttled and retried").anyMatch(e -> e.outcome().startsWith("Throttling"));
        assertThat(log).as("the new key was refused while it activated, then worked")
                .anyMatch(e -> pair.accessKeyId().equals(e.accessKeyId()) && !e.succeeded() && !e.outcome().startsWith("Throttling"))
                .anyMatch(e -> pair.accessKeyId().equals(e.accessKeyId()) && e.action().equals("Decrypt") && e.succeeded());
        assertThat(held(fleet, "vault-02")).isEqualTo(pair);
        emulator.requestLog().clear();
        applied(fleet, inventory);
        assertThat(writesByAdmin()).as("throttled reads do not look like drift").isEmpty();
    }

    @Test
    void aNotFoundAnswerToAWriteSaysWhatHappenedAndEndsWithARecap() throws IOException {
        start(EmulatorOptions.defaults());
        LocalFleet fleet = fleet("east", "vault-01");
        Path inventory = inventory(fleet, "us-east-2");
        applied(fleet, inventory);
        String policyArn = "arn:aws:iam::" + ACCOUNT + ":policy/" + EAST_USER + "-kms";
        try (IamClient iam = iam()) {
            iam.detachUserPolicy(r -> r.userName(EAST_USER).policyArn(policyArn));
        }
        // deleted by someone else after vaultcfg has read it, before it attaches it again
        armed.set(true);
        onRequest = entry -> {
            if (entry.action().equals("ListPolicyVersions") && armed.getAndSet(false)) {
                try (IamClient iam = iam()) {
                    iam.deletePolicy(r -> r.policyArn(policyArn));
                }
            }
        };

        CliRun run = apply(fleet, inventory);

        assertThat(armed).isFalse();
        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.all()).doesNotContain("error: null").doesNotContain("Nothing was changed.");
        assertThat(run.stdout()).contains("could not attach policy " + EAST_USER + "-kms", "NoSuchEntity", "run again",
                "PLAY RECAP");
    }

    @Test
    void aFailureAfterTheAwsWritesIsNotCalledNothingChanged() throws IOException {
        start(EmulatorOptions.defaults());
        LocalFleet fleet = fleet("east", "vault-01");
        Path inventory = inventory(fleet, "us-east-2");
        // A template that renders the placeholder of the validation pass, but fails on the real key id.
        Path playbookDir = Files.createDirectories(dir.resolve("custom"));
        Path templates = Files.createDirectories(playbookDir.resolve("templates"));
        Files.writeString(templates.resolve("seal-awskms.hcl.ftl"), "seal \"awskms\" {\n"
                + "  kms_key_id = \"<#if kms_key_id?length == 36>${kms_key_id?number}<#else>${kms_key_id}</#if>\"\n}\n");
        Path playbook = playbookDir.resolve("auto-unseal.yml");
        try (var builtin = getClass().getClassLoader().getResourceAsStream("playbooks/auto-unseal.yml")) {
            Files.write(playbook, builtin.readAllBytes());
        }

        CliRun run = apply(fleet, inventory, "-p", playbook.toString());

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stderr()).doesNotContain("Nothing was changed.");
        assertThat(run.stdout()).contains("create KMS key", "this host was not changed", "PLAY RECAP");
        assertThat(writesByAdmin()).as("the AWS writes the output reports").isNotEmpty();
    }

    @Test
    void defaultNamesCarryTheRegionAndStayValidIamNames() {
        assertThat(DefaultSealNames.user("alias/vault-auto-unseal", "us-east-2")).isEqualTo(EAST_USER);
        assertThat(DefaultSealNames.policy("alias/vault-auto-unseal", "eu-west-1")).isEqualTo("vault-auto-unseal-eu-west-1-kms");
        Map<String, String> names = new LinkedHashMap<>();
        for (String alias : List.of("alias/a/b", "alias/a-b", "alias/" + "x".repeat(200), "alias/" + "x".repeat(201))) {
            String user = DefaultSealNames.user(alias, "ap-southeast-2");
            assertThat(user).matches("[\\w+=,.@-]{1,64}").endsWith("-ap-southeast-2");
            assertThat(DefaultSealNames.policy(alias, "ap-southeast-2")).hasSizeLessThanOrEqualTo(128);
            assertThat(names.put(user, alias)).as("unique: " + alias).isNull();
        }
    }

    @Test
    void onlyTlsOrLoopbackEndpointsAreAccepted() {
        for (String ok : List.of("https://kms.us-east-2.amazonaws.com", "https://10.0.0.5:8443", "http://127.0.0.1:4566",
                "http://127.9.8.7", "http://localhost:4566", "http://[::1]:4566", "HTTP://LOCALHOST")) {
            assertThat(CleartextEndpoints.refusal(ok)).as(ok).isEmpty();
        }
        for (String refused : List.of("http://10.0.0.5:4566", "http://127.0.0.1.nip.io", "http://localhost.example.com",
                "http://128.0.0.1", "ftp://127.0.0.1", "kms.example.com", "http://[::2]")) {
            assertThat(CleartextEndpoints.refusal(refused)).as(refused).isPresent();
        }
        assertThat(URI.create("http://[::1]:4566").getHost()).isEqualTo("[::1]");
    }
}

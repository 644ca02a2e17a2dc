package io.vaultcfg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.FaultyConnector;
import io.vaultcfg.testing.LocalFleet;
import io.vaultcfg.ssh.SshConnector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The access-key lifecycle against the emulator with three local hosts: guarded by what the fleet
 * holds (unreachable hosts, keys still held, runs cut off between creating and delivering a key).
 */
class AccessKeyLifecycleTest {
    static final String REGION = ProvisioningScenarios.REGION;
    static final String ADMIN_KEY = ProvisioningScenarios.ADMIN_KEY;
    static final String ADMIN_SECRET = ProvisioningScenarios.ADMIN_SECRET;
    static final String USER = ProvisioningScenarios.USER;
    static final Set<String> READ_PREFIXES = Set.of("Describe", "Get", "List");

    @TempDir
    Path dir;
    AwsEmulator emulator;
    LocalFleet fleet;
    Path inventory;

    @BeforeEach
    void start() throws IOException {
        emulator = AwsEmulator.start(EmulatorOptions.defaults().withAdmin(new AccessKeyPair(ADMIN_KEY, ADMIN_SECRET)));
        fleet = new LocalFleet(dir, List.of("vault-01", "vault-02", "vault-03"));
        // no grace period: these runs retire a key in the run right after the one that deactivated it
        inventory = fleet.writeInventory(Map.of("aws_region", REGION, "aws_endpoint_url", emulator.endpoint().toString(),
                "aws_preflight_timeout", "20", "vaultcfg_access_key_grace_days", "0"));
        System.setProperty("aws.accessKeyId", ADMIN_KEY);
        System.setProperty("aws.secretAccessKey", ADMIN_SECRET);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    CliRun vaultcfg(SshConnector connector, String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "apply";
        full[1] = inventory.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        return CliRun.run(connector, Map.of(), "", full);
    }

    CliRun applied(String... args) {
        CliRun run = vaultcfg(fleet.connector(), args);
        assertThat(run.exitCode()).as(run.all()).isZero();
        return run;
    }

    List<RequestLogEntry> writesByAdmin() {
        return emulator.requestLog().entries().stream()
                .filter(e -> ADMIN_KEY.equals(e.accessKeyId()))
                .filter(e -> READ_PREFIXES.stream().noneMatch(e.action()::startsWith))
                .toList();
    }

    IamClient iam() {
        return IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(emulator.endpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ADMIN_KEY, ADMIN_SECRET))).build();
    }

    KmsClient kmsAs(String id, String secret) {
        return KmsClient.builder().region(Region.of(REGION)).endpointOverride(emulator.endpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret))).build();
    }

    Map<String, String> keys() {
        try (IamClient iam = iam()) {
            return iam.listAccessKeys(r -> r.userName(USER)).accessKeyMetadata().stream()
                    .collect(Collectors.toMap(AccessKeyMetadata::accessKeyId, AccessKeyMetadata::statusAsString));
        }
    }

    Map<String, String> userTags() {
        try (IamClient iam = iam()) {
            return iam.listUserTags(r -> r.userName(USER)).tags().stream()
                    .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
        }
    }

    HeldCredentials held(String host) throws IOException {
        return HeldCredentials.fromEnvFile(Files.readString(fleet.envFile(host))).orElseThrow();
    }

    /** What Vault does at start: Decrypt (here after an Encrypt) with the pair in its env file. */
    void decryptsWith(HeldCredentials pair) {
        try (KmsClient kms = kmsAs(pair.accessKeyId(), pair.secretAccessKey())) {
            byte[] plain = "vault root key".getBytes(StandardCharsets.UTF_8);
            SdkBytes blob = kms.encrypt(r -> r.keyId("alias/vault-auto-unseal").plaintext(SdkBytes.fromByteArray(plain))).ciphertextBlob();
            assertThat(kms.decrypt(r -> r.ciphertextBlob(blob)).plaintext().asByteArray()).isEqualTo(plain);
        }
    }

    @Test
    void withEveryHostUnreachableTwoRunsCreateAndDeleteNoKeyAndTheHostsKeyStillWorks() throws IOException {
        applied();
        HeldCredentials fleetKey = held("vault-01");
        emulator.requestLog().clear();

        SshConnector partitioned = fleet.connector(Set.copyOf(fleet.hosts()));
        for (int run = 1; run <= 2; run++) {
            CliRun cut = vaultcfg(partitioned);
            assertThat(cut.exitCode()).as(cut.all()).isEqualTo(1);
            assertThat(cut.stdout()).contains("vault-01 (unreachable", "were not read in this run",
                    "-e vaultcfg_forget_hosts=vault-01,vault-02,vault-03", "stopped before changing anything");
        }

        assertThat(writesByAdmin()).as("AWS writes while the hosts were unreachable").isEmpty();
        assertThat(keys()).containsOnly(Map.entry(fleetKey.accessKeyId(), "Active"));
        for (String host : fleet.hosts()) {
            assertThat(held(host)).isEqualTo(fleetKey);
        }
        decryptsWith(fleetKey);
    }

    @Test
    void oneUnreachableHostStillGetsNoKeyRetiredWhileTheOthersAreConverged() throws IOException {
        applied();
        String extra;
        try (IamClient iam = iam()) {
            extra = iam.createAccessKey(r -> r.userName(USER)).accessKey().accessKeyId();
        }
        CliRun run = vaultcfg(fleet.connector(Set.of("vault-03")));
        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stdout()).contains("retiring other access keys waits until every host is read (vault-03 not read)");
        assertThat(keys()).containsEntry(extra, "Active").hasSize(2);
    }

    @Test
    void aKeyIsDeactivatedInOneRunAndDeletedOnlyInALaterRunNeverWhileAHostHoldsIt() throws IOException {
        applied();
        HeldCredentials fleetKey = held("vault-01");
        HeldCredentials other;
        try (IamClient iam = iam()) {
            var created = iam.createAccessKey(r -> r.userName(USER)).accessKey();
            other = new HeldCredentials(created.accessKeyId(), created.secretAccessKey());
        }
        // vault-03 holds the other (working) key: it must not be touched while it does
        Files.writeString(fleet.envFile("vault-03"), "AWS_ACCESS_KEY_ID=" + other.accessKeyId() + "\nAWS_SECRET_ACCESS_KEY="
                + other.secretAccessKey() + "\nAWS_DEFAULT_REGION=" + REGION + "\n");

        CliRun converge = applied();
        assertThat(converge.stdout()).contains("access key " + other.accessKeyId() + " is still held by vault-03");
        assertThat(keys()).containsEntry(other.accessKeyId(), "Active");
        assertThat(held("vault-03")).as("the fleet's key, as tagged").isEqualTo(fleetKey);

        CliRun deactivate = applied();
        assertThat(deactivate.stdout()).contains("deactivate access key " + other.accessKeyId());
        assertThat(keys()).containsEntry(other.accessKeyId(), "Inactive").containsEntry(fleetKey.accessKeyId(), "Active");
        assertThat(userTags()).containsKey(AccessKeyTags.DEACTIVATED_PREFIX + other.accessKeyId())
                .containsEntry(AccessKeyTags.IN_USE, fleetKey.accessKeyId());

        CliRun delete = applied();
        assertThat(delete.stdout()).contains("delete access key " + other.accessKeyId(), "deactivated by an earlier run");
        assertThat(keys()).containsOnly(Map.entry(fleetKey.accessKeyId(), "Active"));
        assertThat(userTags()).doesNotContainKey(AccessKeyTags.DEACTIVATED_PREFIX + other.accessKeyId());
        decryptsWith(held("vault-02"));
    }

    @Test
    void aKeyWhoseDeliveryFailsOnEveryHostIsDeletedInTheSameRun() throws IOException {
        // the apply (each host's 2nd command) is lost everywhere; the read after it works
        CliRun run = vaultcfg(new FaultyConnector(fleet.connector(), number -> number == 2));

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stdout()).contains("no host received it (delivery failed on every host)");
        assertThat(keys()).as("the user keeps no key whose secret is lost").isEmpty();
        assertThat(userTags()).noneSatisfy((key, value) -> assertThat(key).startsWith(AccessKeyTags.UNDELIVERED_PREFIX));

        applied();
        assertThat(keys()).hasSize(1);
        decryptsWith(held("vault-01"));
    }

    @Test
    void aRunCutOffBetweenCreatingAndDeliveringIsResolvedByTheNextWithoutAThirdKey() throws IOException {
        applied();
        String brokenKey = held("vault-01").accessKeyId();
        for (String host : fleet.hosts()) {
            String env = Files.readString(fleet.envFile(host));
            Files.writeString(fleet.envFile(host), env.replaceAll("AWS_SECRET_ACCESS_KEY=.*", "AWS_SECRET_ACCESS_KEY=rotated-away"));
        }
        // a new key is needed; the run loses every host after reading them (as if killed): the new secret is lost
        CliRun cut = vaultcfg(new FaultyConnector(fleet.connector(), number -> number >= 2));
        assertThat(cut.exitCode()).isEqualTo(1);
        assertThat(keys()).hasSize(2);
        String lost = keys().keySet().stream().filter(id -> !id.equals(brokenKey)).findFirst().orElseThrow();
        assertThat(userTags()).containsKey(AccessKeyTags.UNDELIVERED_PREFIX + lost);

        emulator.requestLog().clear();
        CliRun next = applied();
        assertThat(next.stdout()).contains("delete access key " + lost, "cut off before any host received it");
        assertThat(emulator.requestLog().entries().stream().map(RequestLogEntry::action).toList())
                .containsSubsequence("DeleteAccessKey", "CreateAccessKey");
        HeldCredentials now = held("vault-01");
        for (String host : fleet.hosts()) {
            assertThat(held(host)).as(host).isEqualTo(now);
        }
        assertThat(keys()).hasSize(2).containsKeys(brokenKey, now.accessKeyId());
        assertThat(userTags()).containsEntry(AccessKeyTags.IN_USE, now.accessKeyId());
        decryptsWith(now);

        applied();
        applied();
        assertThat(keys()).as("the key no host holds any more is retired over two runs")
                .containsOnly(Map.entry(now.accessKeyId(), "Active"));
        decryptsWith(held("vault-03"));
    }

    @Test
    void aHostGoneForGoodCanBeForgottenExplicitly() throws IOException {
        applied();
        for (String host : fleet.hosts()) {
            Files.delete(fleet.envFile(host));
        }
        SshConnector withoutThree = fleet.connector(Set.of("vault-03"));
        CliRun refused = vaultcfg(withoutThree);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stdout()).contains("vault-03 (unreachable", "-e vaultcfg_forget_hosts=vault-03");

        CliRun unknown = vaultcfg(withoutThree, "-e", "vaultcfg_forget_hosts=vault-09");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stdout()).contains("vaultcfg_forget_hosts names vault-09, which is not a host of this play");

        CliRun forgotten = vaultcfg(withoutThree, "-e", "vaultcfg_forget_hosts=vault-03");
        assertThat(forgotten.exitCode()).as("vault-03 is still unreachable").isEqualTo(1);
        assertThat(forgotten.stdout()).contains("vault-03: not read and forgotten");
        assertThat(held("vault-01")).isEqualTo(held("vault-02"));
        decryptsWith(held("vault-01"));
        assertThat(keys()).hasSize(2);
    }

}

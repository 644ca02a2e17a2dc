package io.vaultcfg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.ssh.ExecResult;
import io.vaultcfg.ssh.HostUnreachableException;
import io.vaultcfg.ssh.RemoteSession;
import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.ssh.SshTarget;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.LocalFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
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
 * {@code vaultcfg rotate-access-key} against the emulator (real SDK) with three local hosts: the key lifecycle's
 * decisions (delete an unheld key first, create and prove, roll out, deactivate, delete after the grace period), runs
 * cut off part-way and finished by the same command, a failing host, {@code --older-than} and {@code --check}.
 */
class RotateAccessKeyTest {
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
        inventory = fleet.writeInventory(Map.of("aws_region", REGION, "aws_endpoint_url", emulator.endpoint().toString(),
                "aws_preflight_timeout", "20"));
        System.setProperty("aws.accessKeyId", ADMIN_KEY);
        System.setProperty("aws.secretAccessKey", ADMIN_SECRET);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    CliRun run(SshConnector connector, String command, String... args) {
        List<String> full = new ArrayList<>(List.of(command, inventory.toString()));
        full.addAll(List.of(args));
        return CliRun.run(connector, Map.of(), "", full.toArray(String[]::new));
    }

    CliRun rotate(String... args) {
        return run(fleet.connector(), "rotate-access-key", args);
    }

    CliRun rotated(String... args) {
        CliRun run = rotate(args);
        assertThat(run.exitCode()).as(run.all()).isZero();
        return run;
    }

    HeldCredentials provisioned() throws IOException {
        CliRun run = run(fleet.connector(), "apply");
        assertThat(run.exitCode()).as(run.all()).isZero();
        emulator.requestLog().clear();
        return held("vault-01");
    }

    List<RequestLogEntry> writesByAdmin() {
        return emulator.requestLog().entries().stream()
                .filter(e -> ADMIN_KEY.equals(e.accessKeyId()))
                .filter(e -> READ_PREFIXES.stream().noneMatch(e.action()::startsWith))
                .toList();
    }

    List<String> adminActions() {
        return emulator.requestLog().entries().stream().filter(e -> ADMIN_KEY.equals(e.accessKeyId()))
                .map(RequestLogEntry::action).toList();
    }

    IamClient iam() {
        return IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(emulator.endpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ADMIN_KEY, ADMIN_SECRET))).build();
    }

    Map<String, String> keys() {
        try (IamClient iam = iam()) {
            return iam.listAccessKeys(r -> r.userName(USER)).accessKeyMetadata().stream()
                    .collect(Collectors.toMap(AccessKeyMetadata::accessKeyId, AccessKeyMetadata::statusAsString));
        }
    }

    Map<String, String> userTags() {
        try (IamClient iam = iam()) {
            return iam.listUserTags(r -> r.userName(USER)).tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value()));
        }
    }

    HeldCredentials held(String host) throws IOException {
        return HeldCredentials.fromEnvFile(Files.readString(fleet.envFile(host))).orElseThrow();
    }

    Map<String, String> envFiles() throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (String host : fleet.hosts()) {
            files.put(host, Files.readString(fleet.envFile(host)) + "|" + Files.getLastModifiedTime(fleet.envFile(host)));
        }
        return files;
    }

    /** What Vault does at start: Decrypt (here after an Encrypt) with the pair in its env file. */
    void decryptsWith(HeldCredentials pair) {
        try (KmsClient kms = KmsClient.builder().region(Region.of(REGION)).endpointOverride(emulator.endpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(pair.accessKeyId(),
                        pair.secretAccessKey()))).build()) {
            byte[] plain = "vault root key".getBytes(StandardCharsets.UTF_8);
            SdkBytes blob = kms.encrypt(r -> r.keyId("alias/vault-auto-unseal").plaintext(SdkBytes.fromByteArray(plain))).ciphertextBlob();
            assertThat(kms.decrypt(r -> r.ciphertextBlob(blob)).plaintext().asByteArray()).isEqualTo(plain);
        }
    }

    void everyHostHolds(HeldCredentials pair) throws IOException {
        for (String host : fleet.hosts()) {
            assertThat(held(host)).as(host).isEqualTo(pair);
        }
    }

    long restarts() throws IOException {
        return fleet.systemctlCalls().stream().filter(call -> call.startsWith("restart")).count();
    }

    static void sleepPastTheSecond() {
        try {
            Thread.sleep(1100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The seal user's tag, as another run (or a clock 8 days on) would have left it. */
    void tagUser(String key, String value) {
        try (IamClient iam = iam()) {
            iam.tagUser(r -> r.userName(USER).tags(t -> t.key(key).value(value)));
        }
    }

    @Test
    void theFleetMovesToANewProvenKeyTheOldOneIsDeactivatedAndDeletedOnlyOnceItsGracePeriodHasPassed() throws IOException {
        HeldCredentials old = provisioned();
        Path report = dir.resolve("rotation.json");

        Path junit = dir.resolve("rotation.xml");
        CliRun rotation = rotated("--report", report.toString(), "--junit", junit.toString(), "--diff");

        HeldCredentials fresh = held("vault-01");
        assertThat(fresh.accessKeyId()).isNotEqualTo(old.accessKeyId());
        everyHostHolds(fresh);
        decryptsWith(fresh);
        assertThat(keys()).containsOnly(Map.entry(fresh.accessKeyId(), "Active"), Map.entry(old.accessKeyId(), "Inactive"));
        assertThat(userTags()).containsEntry(AccessKeyTags.IN_USE, fresh.accessKeyId())
                .containsKey(AccessKeyTags.DEACTIVATED_PREFIX + old.accessKeyId())
                .doesNotContainKey(AccessKeyTags.UNDELIVERED_PREFIX + fresh.accessKeyId());
        assertThat(rotation.stdout()).contains("is replaced by a new one", "deactivated access key " + old.accessKeyId());
        // proven before any host got it: DescribeKey, Encrypt and Decrypt signed with the new key itself
        List<String> provenWith = emulator.requestLog().entries().stream().filter(e -> fresh.accessKeyId().equals(e.accessKeyId()))
                .filter(RequestLogEntry::succeeded).map(RequestLogEntry::action).toList();
        assertThat(provenWith).contains("DescribeKey", "Encrypt", "Decrypt");
        // deactivated only after the hosts: the last admin write of the run
        assertThat(adminActions()).containsSubsequence("CreateAccessKey", "TagUser", "UpdateAccessKey");
        assertThat(rotation.all() + Files.readString(report) + Files.readString(junit)).as("the new secret never printed")
                .doesNotContain(fresh.secretAccessKey()).doesNotContain(old.secretAccessKey());

        emulator.requestLog().clear();
        CliRun withinGrace = rotated();
        assertThat(withinGrace.stdout()).contains("access key " + old.accessKeyId() + " (deactivated at",
                "is kept until its grace period ends", "no new access key in this run");
        assertThat(writesByAdmin()).as("nothing written within the grace period").isEmpty();
        everyHostHolds(fresh);

        tagUser(AccessKeyTags.DEACTIVATED_PREFIX + old.accessKeyId(),
                Instant.now().minus(Duration.ofDays(8)).truncatedTo(ChronoUnit.SECONDS).toString());
        Map<String, String> before = envFiles();
        CliRun pastGrace = rotated("--older-than", "30");
        assertThat(pastGrace.stdout()).contains("delete access key " + old.accessKeyId(), "no rotation due");
        assertThat(keys()).containsOnly(Map.entry(fresh.accessKeyId(), "Active"));
        assertThat(userTags()).doesNotContainKey(AccessKeyTags.DEACTIVATED_PREFIX + old.accessKeyId());
        assertThat(envFiles()).isEqualTo(before);
    }

    @Test
    void withAYoungKeyOlderThanChangesNothingAndSaysWhy() throws IOException {
        HeldCredentials key = provisioned();
        Map<String, String> before = envFiles();
        long restarts = restarts();

        CliRun check = rotate("--older-than", "30", "--check");
        assertThat(check.exitCode()).as(check.all()).isZero();
        CliRun run = rotated("--older-than", "30");

        assertThat(run.stdout()).contains("access key " + key.accessKeyId() + " in use was created",
                "younger than --older-than 30 days: no rotation due");
        assertThat(writesByAdmin()).isEmpty();
        assertThat(keys()).containsOnly(Map.entry(key.accessKeyId(), "Active"));
        assertThat(envFiles()).isEqualTo(before);
        assertThat(restarts()).as("no node restarted").isEqualTo(restarts);
    }

    @Test
    void checkShowsThePlanExitsTwoAndChangesNothing() throws IOException {
        HeldCredentials key = provisioned();
        Map<String, String> before = envFiles();

        CliRun check = rotate("--check", "--diff");

        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        assertThat(check.stdout()).contains("would create access key", "is replaced by a new one", "(known after apply)");
        assertThat(check.all()).doesNotContain(key.secretAccessKey());
        assertThat(writesByAdmin()).isEmpty();
        assertThat(keys()).containsOnly(Map.entry(key.accessKeyId(), "Active"));
        assertThat(envFiles()).isEqualTo(before);
    }

    @Test
    void aKeyLeftByARunCutOffAfterCreatingItIsDeletedFirstAndTheRotationFinishesWithoutAThirdKey() throws IOException {
        HeldCredentials old = provisioned();
        String leftOver;
        // AWS dates a key to the second: the key in use and the left-over one must not share theirs (a tie is read as
        // the older key of an earlier rotation, deactivated rather than deleted)
        sleepPastTheSecond();
        try (IamClient iam = iam()) {
            // what a run killed right after iam:CreateAccessKey leaves: a key no host holds, not even tagged yet
            leftOver = iam.createAccessKey(r -> r.userName(USER)).accessKey().accessKeyId();
        }

        CliRun run = rotated();

        assertThat(run.stdout()).contains("delete access key " + leftOver, "cut off before any host received it");
        assertThat(adminActions()).containsSubsequence("DeleteAccessKey", "CreateAccessKey");
        HeldCredentials fresh = held("vault-01");
        assertThat(fresh.accessKeyId()).isNotIn(old.accessKeyId(), leftOver);
        everyHostHolds(fresh);
        assertThat(keys()).containsOnly(Map.entry(fresh.accessKeyId(), "Active"), Map.entry(old.accessKeyId(), "Inactive"));
        decryptsWith(fresh);
    }

    @Test
    void aRotationThatReachedSomeHostsIsFinishedByTheSameCommandWithTheSameNewKey() throws IOException {
        HeldCredentials old = provisioned();
        CliRun firstNode = rotated("--limit", "vault-01");
        HeldCredentials fresh = held("vault-01");
        assertThat(fresh).isNotEqualTo(old);
        assertThat(held("vault-02")).isEqualTo(old);
        assertThat(firstNode.stdout()).doesNotContain("deactivated access key");
        assertThat(keys()).as("still held outside --limit: stays active")
                .containsOnly(Map.entry(fresh.accessKeyId(), "Active"), Map.entry(old.accessKeyId(), "Active"));

        emulator.requestLog().clear();
        CliRun rest = rotated();

        assertThat(adminActions()).as("no new key: the rotation in progress is finished").doesNotContain("CreateAccessKey");
        everyHostHolds(fresh);
        assertThat(rest.stdout()).contains("deactivated access key " + old.accessKeyId());
        assertThat(keys()).containsOnly(Map.entry(fresh.accessKeyId(), "Active"), Map.entry(old.accessKeyId(), "Inactive"));
    }

    @Test
    void aRunCutOffAfterEveryHostButBeforeTheDeactivationIsFinishedByDeactivatingTheOldKeyNotByAnotherRotation() throws IOException {
        HeldCredentials old = provisioned();
        rotated();
        HeldCredentials fresh = held("vault-01");
        try (IamClient iam = iam()) {
            // as a run killed after the hosts left it: the old key active, with or without its deactivation time tagged
            iam.updateAccessKey(r -> r.userName(USER).accessKeyId(old.accessKeyId()).status("Active"));
        }
        emulator.requestLog().clear();

        CliRun tagged = rotated();
        assertThat(tagged.stdout()).contains("deactivate access key " + old.accessKeyId(), "no new access key in this run");
        assertThat(adminActions()).doesNotContain("CreateAccessKey", "DeleteAccessKey");
        assertThat(keys()).containsOnly(Map.entry(fresh.accessKeyId(), "Active"), Map.entry(old.accessKeyId(), "Inactive"));

        try (IamClient iam = iam()) {
            iam.updateAccessKey(r -> r.userName(USER).accessKeyId(old.accessKeyId()).status("Active"));
            iam.untagUser(r -> r.userName(USER).tagKeys(AccessKeyTags.DEACTIVATED_PREFIX + old.accessKeyId()));
        }
        emulator.requestLog().clear();
        rotated();
        assertThat(adminActions()).doesNotContain("CreateAccessKey", "DeleteAccessKey");
        assertThat(keys()).containsOnly(Map.entry(fresh.accessKeyId(), "Active"), Map.entry(old.accessKeyId(), "Inactive"));
        assertThat(userTags()).containsKey(AccessKeyTags.DEACTIVATED_PREFIX + old.accessKeyId());
        everyHostHolds(fresh);
    }

    @Test
    void aHostThatFailsLeavesTheOldKeyActiveEveryHostOnAWorkingKeyAndARerunFinishes() throws IOException {
        HeldCredentials old = provisioned();
        // vault-02's apply script is lost: it keeps the old key
        CliRun failed = run(new LosingOn("vault-02", 2, fleet.connector()), "rotate-access-key");

        assertThat(failed.exitCode()).as(failed.all()).isEqualTo(1);
        assertThat(failed.stdout()).contains("access key " + old.accessKeyId() + " stays active");
        assertThat(keys()).containsEntry(old.accessKeyId(), "Active").hasSize(2);
        assertThat(held("vault-02")).isEqualTo(old);
        for (String host : fleet.hosts()) {
            decryptsWith(held(host));
        }

        emulator.requestLog().clear();
        rotated();
        HeldCredentials fresh = held("vault-02");
        everyHostHolds(fresh);
        assertThat(adminActions()).doesNotContain("CreateAccessKey");
        assertThat(keys()).containsOnly(Map.entry(fresh.accessKeyId(), "Active"), Map.entry(old.accessKeyId(), "Inactive"));
    }

    @Test
    void anUnreachableHostStopsTheRotationBeforeAnyWrite() throws IOException {
        HeldCredentials old = provisioned();

        CliRun run = run(fleet.connector(Set.of("vault-03")), "rotate-access-key");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).contains("rotating the access key needs every host of the play read", "vault-03 (unreachable");
        assertThat(writesByAdmin()).isEmpty();
        everyHostHolds(old);
    }

    @Test
    void aPlaybookWhoseAwsTaskDoesNotPassTheRotationOnIsBadInput() throws IOException {
        Path playbook = dir.resolve("site.yml");
        Files.writeString(playbook, "- hosts: vault\n  tasks:\n    - name: ping\n      command:\n        argv: [\"true\"]\n");

        CliRun run = rotate("-p", playbook.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("rotate-access-key needs a task aws_auto_unseal", "Nothing was changed.");
        assertThat(emulator.requestLog().entries()).isEmpty();
    }

    @Test
    void withoutTheAwsTaskRunningThereIsNothingToRotateAndNoHostIsContacted() throws IOException {
        HeldCredentials key = provisioned();
        Map<String, String> before = envFiles();
        SshConnector never = target -> {
            throw new AssertionError("contacted " + target.name());
        };

        // hosts only, AWS made by other means: the key and the pair are given, the secret through the environment
        CliRun run = CliRun.run(never, Map.of("VAULTCFG_VAR_aws_secret_access_key", key.secretAccessKey()), "",
                "rotate-access-key", inventory.toString(), "-e", "vaultcfg_manage_aws=false", "-e", "kms_key_id=alias/vault-auto-unseal",
                "-e", "aws_access_key_id=" + key.accessKeyId());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("the aws_auto_unseal task does not run", "vaultcfg_manage_aws: false",
                "Nothing was changed.");
        assertThat(emulator.requestLog().entries()).isEmpty();
        assertThat(envFiles()).isEqualTo(before);
        assertThat(keys()).containsOnly(Map.entry(key.accessKeyId(), "Active"));
    }

    @Test
    void outOfRangeDaysAreAUsageErrorBeforeAnythingIsContacted() {
        for (String[] args : List.of(new String[] {"--older-than", "0"}, new String[] {"--grace-days", "-1"})) {
            CliRun run = rotate(args);
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.stderr().lines().toList()).singleElement().satisfies(line -> assertThat(line)
                    .contains("'" + args[0] + "'", "was " + args[1]).endsWith("; see 'vaultcfg rotate-access-key --help'"));
        }
        assertThat(emulator.requestLog().entries()).isEmpty();
    }

    /** Loses command {@code number} of one host (counted from 1: facts, apply, ...). */
    record LosingOn(String host, int number, SshConnector delegate) implements SshConnector {

        @Override
        public RemoteSession connect(SshTarget target) throws HostUnreachableException {
            RemoteSession session = delegate.connect(target);
            AtomicInteger count = new AtomicInteger();
            return new RemoteSession() {
                @Override
                public ExecResult exec(String command, byte[] stdin, Duration deadline) throws IOException {
                    if (target.name().equals(host) && count.incrementAndGet() == number) {
                        throw new IOException("connection reset (injected on command " + number + ")");
                    }
                    return session.exec(command, stdin, deadline);
                }

                @Override
                public void close() {
                    session.close();
                }
            };
        }
    }
}

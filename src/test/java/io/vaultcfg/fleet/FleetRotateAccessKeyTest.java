package io.vaultcfg.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.AccessKeyTags;
import io.vaultcfg.aws.HeldCredentials;
import io.vaultcfg.aws.emulator.TestClients;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.fleet.FleetCluster.StartState;
import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.vault.NodeRole.Role;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;

/**
 * {@code vaultcfg rotate-access-key} on a real 3-node OpenBao raft cluster on awskms (the emulator in this JVM, each
 * node's KMS requests from its own address): every node unsealed on the new key (its Decrypt calls signed with it),
 * the old key deactivated then deleted past its grace period; a run killed (SIGKILL, a separate JVM) after creating the
 * key and after the first node, finished by the same command; a node denied Decrypt halting it with every node on a
 * working key; {@code --older-than} with a young key changing nothing.
 */
class FleetRotateAccessKeyTest {
    static final String USER = ClusterKms.USER;

    @TempDir
    Path dir;
    FleetCluster cluster;
    Path inventory;

    @BeforeEach
    void available() {
        FleetCluster.assumeAvailable();
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    void start() throws IOException {
        cluster = FleetCluster.start(3, StartState.AWSKMS);
        inventory = cluster.writeInventory(dir.resolve("inventory.yml"));
        CliRun converge = vaultcfg("apply");
        assertThat(converge.exitCode()).as(converge.all()).isZero();
        cluster.awaitAllUnsealed(FleetCluster.TIMEOUT);
    }

    CliRun vaultcfg(String command, String... extra) {
        List<String> args = new ArrayList<>(List.of(command, inventory.toString()));
        args.addAll(List.of(extra));
        return CliRun.run(new SshjConnector(), Map.of(), "", args.toArray(String[]::new));
    }

    CliRun rotated(String... extra) {
        CliRun run = vaultcfg("rotate-access-key", extra);
        assertThat(run.exitCode()).as(run.all()).isZero();
        return run;
    }

    HeldCredentials held(int node) throws IOException {
        return HeldCredentials.fromEnvFile(Files.readString(cluster.host(node).path("/etc/vault.d/vault.env"))).orElseThrow();
    }

    Map<String, String> keys() {
        try (TestClients clients = new TestClients(cluster.emulator())) {
            return clients.adminIam().listAccessKeys(r -> r.userName(USER)).accessKeyMetadata().stream()
                    .collect(Collectors.toMap(AccessKeyMetadata::accessKeyId, AccessKeyMetadata::statusAsString));
        }
    }

    Map<String, String> userTags() {
        try (TestClients clients = new TestClients(cluster.emulator())) {
            return clients.adminIam().listUserTags(r -> r.userName(USER)).tags().stream()
                    .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
        }
    }

    long[] restarts() throws IOException {
        long[] counts = new long[cluster.size()];
        for (int node = 0; node < cluster.size(); node++) {
            counts[node] = cluster.host(node).restarts("vault");
        }
        return counts;
    }

    List<RequestLogEntry> log(Predicate<RequestLogEntry> wanted) {
        return cluster.emulator().requestLog().entries().stream().filter(wanted).toList();
    }

    /** The node's own KMS calls (from its address) that Decrypt with {@code accessKeyId} and succeed. */
    List<RequestLogEntry> decryptsFrom(int node, String accessKeyId) {
        String address = cluster.host(node).address();
        return log(e -> "Decrypt".equals(e.action()) && accessKeyId.equals(e.accessKeyId()) && address.equals(e.sourceAddress())
                && e.succeeded());
    }

    void everyNodeUnsealedOn(HeldCredentials key) throws IOException {
        cluster.awaitAllUnsealed(FleetCluster.TIMEOUT);
        for (int node = 0; node < cluster.size(); node++) {
            assertThat(held(node)).as("node " + node + " holds the new key").isEqualTo(key);
            assertThat(cluster.role(node).sealType()).isEqualTo("awskms");
            assertThat(decryptsFrom(node, key.accessKeyId())).as("node " + node + " unsealed with the new key").isNotEmpty();
        }
        assertThat(cluster.readSecret(cluster.activeNode())).isEqualTo(FleetCluster.SECRET_DATA);
    }

    @Test
    void everyNodeUnsealsOnTheNewKeyTheOldIsDeactivatedThenDeletedPastItsGracePeriodAndAYoungKeyIsLeftAlone() throws IOException {
        start();
        HeldCredentials old = held(0);
        long[] before = restarts();

        CliRun young = rotated("--older-than", "30");
        assertThat(young.stdout()).contains("younger than --older-than 30 days: no rotation due");
        assertThat(restarts()).isEqualTo(before);
        assertThat(keys()).containsOnly(Map.entry(old.accessKeyId(), "Active"));

        cluster.emulator().requestLog().clear();
        UnsealPoller poller = cluster.startPoller();
        CliRun rotation = rotated();
        poller.close();

        HeldCredentials fresh = held(0);
        assertThat(fresh.accessKeyId()).isNotEqualTo(old.accessKeyId());
        everyNodeUnsealedOn(fresh);
        long[] after = restarts();
        for (int node = 0; node < 3; node++) {
            assertThat(after[node]).as("node " + node + " restarted once").isEqualTo(before[node] + 1);
        }
        assertThat(poller.fewestUnsealed()).as("a quorum of 2 of 3 unsealed in every sample").isGreaterThanOrEqualTo(2);
        assertThat(rotation.stdout()).contains("ROLLOUT | cluster", "deactivated access key " + old.accessKeyId());
        assertThat(rotation.all()).as("secrets never printed").doesNotContain(fresh.secretAccessKey(), old.secretAccessKey());
        assertThat(keys()).containsOnly(Map.entry(fresh.accessKeyId(), "Active"), Map.entry(old.accessKeyId(), "Inactive"));
        Instant deactivatedAt = Instant.parse(userTags().get(AccessKeyTags.DEACTIVATED_PREFIX + old.accessKeyId()));
        RequestLogEntry lastNodeDecrypt = IntStream.range(0, 3).mapToObj(node -> decryptsFrom(node, fresh.accessKeyId()).get(0))
                .max((a, b) -> a.time().compareTo(b.time())).orElseThrow();
        assertThat(deactivatedAt).as("deactivated after the last node unsealed on the new key")
                .isAfterOrEqualTo(lastNodeDecrypt.time().truncatedTo(ChronoUnit.SECONDS));

        CliRun withinGrace = rotated();
        assertThat(withinGrace.stdout()).contains("is kept until its grace period ends");
        assertThat(keys()).hasSize(2);

        try (TestClients clients = new TestClients(cluster.emulator())) {
            String eightDaysAgo = Instant.now().minus(Duration.ofDays(8)).truncatedTo(ChronoUnit.SECONDS).toString();
            clients.adminIam().tagUser(r -> r.userName(USER).tags(t -> t.key(AccessKeyTags.DEACTIVATED_PREFIX + old.accessKeyId())
                    .value(eightDaysAgo)));
        }
        long[] beforeDelete = restarts();
        CliRun pastGrace = rotated("--older-than", "30");
        assertThat(pastGrace.stdout()).contains("delete access key " + old.accessKeyId());
        assertThat(keys()).containsOnly(Map.entry(fresh.accessKeyId(), "Active"));
        assertThat(restarts()).isEqualTo(beforeDelete);
    }

    @Test
    void killedAfterCreatingTheKeyAndAgainAfterTheFirstNodeTheSameCommandFinishesTheRotation() throws Exception {
        start();
        HeldCredentials old = held(0);

        cluster.emulator().requestLog().clear();
        killedOnceLogged(e -> "CreateAccessKey".equals(e.action()) && e.succeeded());
        Map<String, String> afterCreate = keys();
        assertThat(afterCreate).as("the new key exists beside the old one").hasSize(2).containsEntry(old.accessKeyId(), "Active");
        for (int node = 0; node < 3; node++) {
            assertThat(held(node)).as("node " + node + " still on the old key").isEqualTo(old);
        }

        cluster.emulator().requestLog().clear();
        CliRun firstRerun = rotated();
        assertThat(log(e -> true).stream().map(RequestLogEntry::action).toList())
                .as("the key the killed run made is deleted before another is made").containsSubsequence("DeleteAccessKey", "CreateAccessKey");
        HeldCredentials second = held(0);
        assertThat(second.accessKeyId()).isNotIn(afterCreate.keySet());
        everyNodeUnsealedOn(second);
        assertThat(keys()).containsOnly(Map.entry(second.accessKeyId(), "Active"), Map.entry(old.accessKeyId(), "Inactive"));
        assertThat(firstRerun.all()).doesNotContain(second.secretAccessKey());

        // the old key past its grace period, so the next rotation may start; it is killed once the first node unsealed
        try (TestClients clients = new TestClients(cluster.emulator())) {
            clients.adminIam().deleteAccessKey(r -> r.userName(USER).accessKeyId(old.accessKeyId()));
        }
        cluster.emulator().requestLog().clear();
        killedOnceLogged(e -> "Decrypt".equals(e.action()) && e.succeeded() && !second.accessKeyId().equals(e.accessKeyId())
                && IntStream.range(0, 3).anyMatch(node -> cluster.host(node).address().equals(e.sourceAddress())));
        List<Integer> onNew = IntStream.range(0, 3).filter(node -> {
            try {
                return !held(node).equals(second);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).boxed().toList();
        assertThat(onNew).as("one node on the new key when the run was killed").hasSize(1);
        HeldCredentials third = held(onNew.get(0));
        assertThat(keys()).containsOnly(Map.entry(second.accessKeyId(), "Active"), Map.entry(third.accessKeyId(), "Active"));
        cluster.awaitAllUnsealed(FleetCluster.TIMEOUT);

        // the log is kept: the first node's Decrypt with the new key happened before the kill
        Instant finishing = Instant.now();
        CliRun finish = rotated();
        assertThat(log(e -> "CreateAccessKey".equals(e.action()) && !e.time().isBefore(finishing)))
                .as("no new key: the rotation in progress is finished").isEmpty();
        everyNodeUnsealedOn(third);
        assertThat(finish.stdout()).contains("deactivated access key " + second.accessKeyId());
        assertThat(keys()).containsOnly(Map.entry(third.accessKeyId(), "Active"), Map.entry(second.accessKeyId(), "Inactive"));
    }

    @Test
    void aNodeDeniedDecryptHaltsTheRotationWithEveryNodeOnAWorkingKey() throws IOException {
        start();
        HeldCredentials old = held(0);
        int active = cluster.activeNode();
        int first = IntStream.range(0, 3).filter(node -> node != active).findFirst().orElseThrow();
        InetAddress firstAddress = InetAddress.getByName(cluster.host(first).address());
        cluster.emulator().faults().denyFrom(firstAddress, "kms:Decrypt");
        long[] before = restarts();

        CliRun halted = vaultcfg("rotate-access-key", "-e", "vault_status_retries=6");

        assertThat(halted.exitCode()).as(halted.all()).isEqualTo(1);
        assertThat(halted.stdout()).contains("stopped here", "access key " + old.accessKeyId() + " stays active");
        HeldCredentials fresh = held(first);
        assertThat(fresh).isNotEqualTo(old);
        assertThat(keys()).containsOnly(Map.entry(old.accessKeyId(), "Active"), Map.entry(fresh.accessKeyId(), "Active"));
        for (int node = 0; node < 3; node++) {
            if (node != first) {
                assertThat(held(node)).as("node " + node + " untouched").isEqualTo(old);
                assertThat(cluster.host(node).restarts("vault")).isEqualTo(before[node]);
            }
        }
        assertThat(cluster.role(first).role()).isEqualTo(Role.SEALED);
        assertThat(cluster.readSecret(active)).as("the cluster still serves reads").isEqualTo(FleetCluster.SECRET_DATA);

        // the fault gone and the node restarted, the same command finishes on the key the first node holds
        cluster.emulator().faults().allowFrom(firstAddress, "kms:Decrypt");
        cluster.restart(first);
        cluster.awaitAllUnsealed(FleetCluster.TIMEOUT);
        Instant finishing = Instant.now();
        rotated();
        assertThat(log(e -> "CreateAccessKey".equals(e.action()) && !e.time().isBefore(finishing))).isEmpty();
        everyNodeUnsealedOn(fresh);
        assertThat(keys()).containsOnly(Map.entry(fresh.accessKeyId(), "Active"), Map.entry(old.accessKeyId(), "Inactive"));
    }

    /**
     * Runs {@code vaultcfg rotate-access-key} in a JVM of its own and kills it (SIGKILL) the moment the emulator has
     * logged a request {@code trigger} matches.
     */
    void killedOnceLogged(Predicate<RequestLogEntry> trigger) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path output = Files.createTempFile(dir, "killed-run", ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                "io.vaultcfg.cli.Main", "rotate-access-key", inventory.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            while (log(trigger).isEmpty()) {
                assertThat(process.isAlive()).as("the run reached the point to kill it at:\n" + Files.readString(output)).isTrue();
                assertThat(Instant.now()).as("trigger logged in time").isBefore(deadline);
                Thread.sleep(5);
            }
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}

package io.vaultcfg.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.AccessKeyTags;
import io.vaultcfg.aws.HeldCredentials;
import io.vaultcfg.aws.emulator.TestClients;
import io.vaultcfg.aws.emulator.http.ResponseHold;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.fleet.FleetCluster.StartState;
import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.vault.NodeRole.Role;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;

/**
 * {@code vaultcfg rotate-access-key} on a real 3-node OpenBao raft cluster on awskms (the emulator in this JVM, each
 * node's KMS requests from its own address): every node unsealed on the new key (its Decrypt calls signed with it),
 * the old key deactivated then deleted past its grace period; a node denied Decrypt halting it with every node on a
 * working key; {@code --older-than} with a young key changing nothing; on one cluster, a run killed (SIGKILL, a JVM of its
 * own) after each step in turn ({@link RotationKillPoint}), each finished by the same command, with every node unsealed
 * on an active key after the kill and after the re-run.
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

    @TestFactory
    Stream<DynamicTest> killedAfterEachStepInTurnTheSameCommandFinishesTheRotation() throws IOException {
        start();
        RestartHold restartHold = RestartHold.install(cluster, "vault");
        // -Dvaultcfg.killPoints=TEXT runs only the kill points whose name contains TEXT
        String only = System.getProperty("vaultcfg.killPoints", "");
        return RotationKillPoint.all(cluster.size()).stream().filter(point -> point.name().contains(only))
                .map(point -> DynamicTest.dynamicTest(point.name(), () -> killedThenFinished(point, restartHold)));
    }

    void killedThenFinished(RotationKillPoint point, RestartHold restartHold) throws Exception {
        HeldCredentials old = oneActiveKeyEveryNodeHolds();
        Instant begun = Instant.now();
        Optional<String> seeded = Optional.empty();
        if (point.seedUnheldKey()) {
            try (TestClients clients = new TestClients(cluster.emulator())) {
                seeded = Optional.of(clients.adminIam().createAccessKey(r -> r.userName(USER)).accessKey().accessKeyId());
            }
        }
        Set<String> nodeAddresses = IntStream.range(0, cluster.size()).mapToObj(node -> cluster.host(node).address())
                .collect(Collectors.toSet());
        Optional<ResponseHold> answerHold = point.answer().map(answer -> cluster.emulator().faults().holdResponse(
                answer.to(new RotationKillPoint.Before(old.accessKeyId(), USER, nodeAddresses))));
        if (point.restart().isPresent()) {
            restartHold.arm(point.restart().get());
        }

        Path output = Files.createTempFile(dir, "killed-run", ".log");
        Process controller = controllerJvm(output);
        try {
            awaitKillPoint(point, controller, output, answerHold, restartHold);
        } finally {
            // taken before the kill: once sshd's sessions end, what they still run is no longer sshd's descendant
            List<ProcessHandle> scripts = sessionsLeft();
            controller.destroyForcibly();
            assertThat(controller.waitFor(30, TimeUnit.SECONDS)).isTrue();
            if (point.sessionsKilled()) {
                scripts.forEach(ProcessHandle::destroyForcibly);
            }
            answerHold.ifPresent(ResponseHold::release);
            restartHold.releaseAll();
            Awaitility.await().atMost(Duration.ofSeconds(200)).pollInterval(Duration.ofMillis(100))
                    .until(() -> scripts.stream().noneMatch(ProcessHandle::isAlive));
        }

        String killedRun = Files.readString(output);
        everyNodeUnsealedOnAnActiveKeyAndAtMostTwoKeys("after the kill", killedRun);
        seeded.ifPresent(id -> assertThat(keys()).as("the key no host held is deleted first").doesNotContainKey(id));
        killedWhereIntended(point, old, killedRun);

        CliRun rerun = rotated();

        everyNodeUnsealedOnAnActiveKeyAndAtMostTwoKeys("after the re-run", rerun.all());
        Map<String, String> keys = keys();
        List<String> active = keys.entrySet().stream().filter(k -> k.getValue().equals("Active")).map(Map.Entry::getKey).toList();
        assertThat(active).as("exactly one active key after the re-run: " + keys).hasSize(1);
        HeldCredentials fresh = held(0);
        assertThat(fresh.accessKeyId()).as("the rotation finished: a new key").isEqualTo(active.get(0)).isNotEqualTo(old.accessKeyId());
        assertThat(keys).as("the old key deactivated, nothing else kept").containsOnly(Map.entry(fresh.accessKeyId(), "Active"),
                Map.entry(old.accessKeyId(), "Inactive"));
        for (int node = 0; node < cluster.size(); node++) {
            assertThat(held(node)).as("node " + node + " holds the one active key").isEqualTo(fresh);
            assertThat(decryptsFrom(node, fresh.accessKeyId())).as("node " + node + " runs on the new key: its Decrypt calls carry it")
                    .anyMatch(e -> !e.time().isBefore(begun.truncatedTo(ChronoUnit.SECONDS)));
        }
        assertThat(log(e -> "CreateAccessKey".equals(e.action()) && !e.succeeded())).as("never a third key asked for").isEmpty();
        assertThat(killedRun + rerun.all()).as("secrets never printed").doesNotContain(fresh.secretAccessKey(), old.secretAccessKey());
    }

    /**
     * The start of each kill point: the previous rotation's deactivated key and its tags gone (as past its grace period),
     * one active key that every node holds and unsealed with, the request log cleared.
     */
    HeldCredentials oneActiveKeyEveryNodeHolds() throws IOException {
        cluster.awaitAllUnsealed(FleetCluster.TIMEOUT);
        try (TestClients clients = new TestClients(cluster.emulator())) {
            keys().forEach((id, status) -> {
                if (!status.equals("Active")) {
                    clients.adminIam().deleteAccessKey(r -> r.userName(USER).accessKeyId(id));
                }
            });
            List<String> stale = userTags().keySet().stream().filter(tag -> tag.startsWith(AccessKeyTags.DEACTIVATED_PREFIX)
                    || tag.startsWith(AccessKeyTags.UNDELIVERED_PREFIX)).toList();
            if (!stale.isEmpty()) {
                clients.adminIam().untagUser(r -> r.userName(USER).tagKeys(stale));
            }
        }
        HeldCredentials old = held(0);
        assertThat(keys()).containsOnly(Map.entry(old.accessKeyId(), "Active"));
        for (int node = 0; node < cluster.size(); node++) {
            assertThat(held(node)).isEqualTo(old);
        }
        cluster.emulator().requestLog().clear();
        return old;
    }

    void everyNodeUnsealedOnAnActiveKeyAndAtMostTwoKeys(String when, String runOutput) throws IOException {
        cluster.awaitAllUnsealed(FleetCluster.TIMEOUT);
        Map<String, String> keys = keys();
        assertThat(keys).as(when + ": the user never has more than two keys\n" + runOutput).hasSizeLessThanOrEqualTo(2);
        for (int node = 0; node < cluster.size(); node++) {
            String id = held(node).accessKeyId();
            assertThat(keys.get(id)).as(when + ": node " + node + " holds " + id + ", an active key (" + keys + ")\n" + runOutput)
                    .isEqualTo("Active");
            String running = runningKeyId(node);
            assertThat(keys.get(running)).as(when + ": node " + node + "'s server runs on " + running + ", an active key (" + keys
                    + ")\n" + runOutput).isEqualTo("Active");
        }
        assertThat(cluster.readSecret(cluster.activeNode())).isEqualTo(FleetCluster.SECRET_DATA);
    }

    /** The state the kill point stands for: how many nodes hold the new key, whether the old key is still active. */
    void killedWhereIntended(RotationKillPoint point, HeldCredentials old, String killedRun) throws IOException {
        long onNew = IntStream.range(0, cluster.size()).filter(node -> !heldQuietly(node).equals(old)).count();
        assertThat(onNew).as("nodes on the new key when killed " + point + "\n" + killedRun)
                .isEqualTo(point.nodesOnTheNewKey(cluster.size()));
        assertThat(keys().get(old.accessKeyId())).as("the old key when killed " + point)
                .isEqualTo(point.stage() == RotationKillPoint.Stage.AFTER_DEACTIVATION ? "Inactive" : "Active");
        if (point.stage() != RotationKillPoint.Stage.BEFORE_ROLLOUT) {
            assertThat(keys()).as("the new key and the old one").hasSize(2);
        }
    }

    HeldCredentials heldQuietly(int node) {
        try {
            return held(node);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The access key id node's running server was started with, from its environment as the kernel keeps it. */
    String runningKeyId(int node) throws IOException {
        long pid = cluster.servicePid(node).orElseThrow();
        String environ = new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "environ")), StandardCharsets.UTF_8);
        return Stream.of(environ.split("\0")).filter(v -> v.startsWith("AWS_ACCESS_KEY_ID=")).findFirst()
                .map(v -> v.substring("AWS_ACCESS_KEY_ID=".length())).orElse("(none)");
    }

    /** Waits until the run is held at the point, letting earlier nodes' restarts through in rollout order. */
    void awaitKillPoint(RotationKillPoint point, Process controller, Path output, Optional<ResponseHold> answerHold,
                        RestartHold restartHold) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(240));
        int reached = 0;
        while (true) {
            if (answerHold.isPresent() && answerHold.get().awaitHeld(Duration.ofMillis(20)).isPresent()) {
                return;
            }
            Optional<FleetHost> held = point.restart().isPresent() ? restartHold.held() : Optional.empty();
            if (held.isPresent()) {
                reached++;
                if (reached == point.nth()) {
                    return;
                }
                restartHold.release(held.get());
            }
            assertThat(controller.isAlive()).as("the run reached " + point + ":\n" + Files.readString(output)).isTrue();
            assertThat(Instant.now()).as(point + " reached in time:\n" + Files.readString(output)).isBefore(deadline);
            Thread.sleep(20);
        }
    }

    Process controllerJvm(Path output) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                "io.vaultcfg.cli.Main", "rotate-access-key", inventory.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** What the hosts' SSH sessions run now, the nodes' servers aside. */
    List<ProcessHandle> sessionsLeft() {
        return IntStream.range(0, cluster.size()).mapToObj(node -> ProcessHandle.of(cluster.host(node).sshdPid()).orElseThrow())
                .flatMap(ProcessHandle::descendants)
                .filter(p -> !p.info().command().orElse("").endsWith("/bao") && !p.info().commandLine().orElse("").contains("bao server"))
                .toList();
    }
}

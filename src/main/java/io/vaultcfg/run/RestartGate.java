package io.vaultcfg.run;

import io.vaultcfg.module.KmsReachFact;
import io.vaultcfg.module.NodeRoleFact;
import io.vaultcfg.module.VaultNodeProbe;
import io.vaultcfg.plan.Fact;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The checks around one node's restart, each read again from the nodes at that moment (never reused from the
 * start of the run): before, every other node of the cluster unsealed and caught up, the node's own role, and
 * its host reaching the KMS endpoint; after, the node back in its cluster (unsealed and caught up with the
 * active node's committed raft index), or, in a new cluster, answering again. The reading that finds a node back
 * is the next node's pre-restart reading too ({@link BackReading}): it is taken just before that restart.
 */
final class RestartGate {
    /** Between two readings of a cluster that is not ready yet: a node just back is often a moment from caught up. */
    private static final long POLL_MILLIS = 100;

    private final NodeReads reads;
    private final Map<String, HostWork> works;
    private final Map<String, Optional<VaultNodeProbe>> probes;
    private final LongSupplier nanoClock;
    /** Per cluster, the reading that found its last restarted node back, for the next node's gate. */
    private final Map<String, BackReading> handedOver = new ConcurrentHashMap<>();

    RestartGate(PlayRun run, Map<String, HostWork> works, Map<String, Optional<VaultNodeProbe>> probes) {
        this(NodeReads.of(run), works, probes, System::nanoTime);
    }

    RestartGate(NodeReads reads, Map<String, HostWork> works, Map<String, Optional<VaultNodeProbe>> probes, LongSupplier nanoClock) {
        this.reads = reads;
        this.works = works;
        this.probes = probes;
        this.nanoClock = nanoClock;
    }

    /** How the gate reads nodes: through the run's connections, side by side on its executor. */
    interface NodeReads {
        HostExecution.Gathered read(HostWork node, List<Fact<?>> queries);

        /** The node's connection is not needed for now (a no-op when the run holds its connections). */
        void release(HostWork node);

        Executor executor();

        static NodeReads of(PlayRun run) {
            return new NodeReads() {
                @Override
                public HostExecution.Gathered read(HostWork node, List<Fact<?>> queries) {
                    return run.execution.read(node, queries);
                }

                @Override
                public void release(HostWork node) {
                    run.execution.release(node);
                }

                @Override
                public Executor executor() {
                    return run.scheduler.executor();
                }
            };
        }
    }

    /**
     * Empty: restart {@code node} now; else why not (nothing of its plan is carried out). The first reading also
     * asks the node's host for its path to KMS, in the same round trip: when the cluster is ready at once, as it
     * is after the node before was back, the restart waits for no further round trip; a later reading asks for it
     * again once the cluster is ready (never in every poll, which would dial the KMS endpoint every pause). When the
     * node before was found back a moment ago by a reading meant for this node ({@link #awaitBack}), that reading is
     * this one's first: it holds this node's role and, read in the same round trip, its path to KMS.
     */
    Optional<String> beforeRestart(Clusters.Cluster cluster, HostWork node, Optional<VaultNodeProbe> probe) {
        BackReading handed = handedOver.remove(cluster.name());
        if (probe.isEmpty()) {
            return Optional.empty();
        }
        long deadline = nanoClock.getAsLong() + probe.get().settleTimeout().toNanos();
        List<Fact<?>> kms = probe.get().kmsReach().<List<Fact<?>>>map(List::of).orElse(List.of());
        Optional<Reading> fresh = Optional.ofNullable(handed).filter(back -> back.servesGateOf(node.host(), nanoClock.getAsLong()))
                .map(BackReading::reading);
        boolean first = true;
        while (true) {
            Reading reading = first && fresh.isPresent() ? fresh.get() : readAll(cluster, node.host(), first ? kms : List.of());
            Map<String, NodeRoleFact.Reading> readings = reading.roles();
            Optional<String> notReady = ClusterHealth.notReady(cluster.hosts(), Optional.of(node.host()), readings);
            if (notReady.isEmpty()) {
                Optional<HostExecution.Gathered> kmsRead = first ? reading.asked() : Optional.empty();
                return otherCluster(node.host(), readings).or(() -> kmsProblem(node, probe.get(), kmsRead));
            }
            if (nanoClock.getAsLong() > deadline) {
                return Optional.of("not restarted: the rest of cluster " + cluster.name() + " is not healthy after "
                        + probe.get().settleTimeout().toSeconds() + " s (" + notReady.get() + "); a restart now could cost "
                        + "the cluster its quorum. Nothing was changed on this host");
            }
            first = false;
            pause();
        }
    }

    /** The node as read just now must still report its peers' cluster id (membership was checked at the start). */
    private static Optional<String> otherCluster(String host, Map<String, NodeRoleFact.Reading> readings) {
        Optional<String> own = Optional.ofNullable(readings.get(host)).flatMap(NodeRoleFact.Reading::role)
                .flatMap(io.vaultcfg.vault.NodeRole::clusterId);
        return own.flatMap(id -> readings.entrySet().stream().filter(entry -> !entry.getKey().equals(host))
                .flatMap(entry -> entry.getValue().role().flatMap(io.vaultcfg.vault.NodeRole::clusterId).stream())
                .filter(peer -> !peer.equals(id)).findFirst()
                .map(peer -> "not restarted: read again just before its restart, the node reports cluster id " + id
                        + " and its peers " + peer + ". Nothing was changed on this host"));
    }

    /**
     * Empty once {@code node} is back in its cluster; else, after its timeout, what is wrong and how to bring it back.
     * {@code next}, the node of the cluster that goes after this one, is also asked for its path to KMS in the first
     * reading (not in every poll: it would dial the KMS endpoint every pause), and the reading that finds this node
     * back is handed to that node's gate.
     */
    Optional<String> awaitBack(Clusters.Cluster cluster, HostWork node, Optional<VaultNodeProbe> probe, Optional<String> next) {
        if (probe.isEmpty()) {
            return Optional.empty();
        }
        long deadline = nanoClock.getAsLong() + probe.get().settleTimeout().toNanos();
        List<Fact<?>> nextKms = next.flatMap(host -> probes.getOrDefault(host, Optional.empty()))
                .flatMap(VaultNodeProbe::kmsReach).<List<Fact<?>>>map(List::of).orElse(List.of());
        boolean first = true;
        while (true) {
            long taken = nanoClock.getAsLong();
            Reading reading = readAll(cluster, next.orElse(node.host()), first ? nextKms : List.of());
            Map<String, NodeRoleFact.Reading> readings = reading.roles();
            Optional<String> notReady = ClusterHealth.notReady(cluster.hosts(), Optional.empty(), readings);
            if (notReady.isEmpty()) {
                next.ifPresent(host -> handedOver.put(cluster.name(), new BackReading(host, reading, taken)));
                return Optional.empty();
            }
            if (nanoClock.getAsLong() > deadline) {
                NodeRoleFact.Reading own = readings.get(node.host());
                return Optional.of("restarted, but not back in cluster " + cluster.name() + " within "
                        + probe.get().settleTimeout().toSeconds() + " s: " + notReady.get() + ". " + howToBringBack(own));
            }
            first = false;
            pause();
        }
    }

    /** A failed node's result with the state its node is in now and how to bring it back. */
    HostResult withNodeState(Clusters.Cluster cluster, HostWork node, HostResult failed, Optional<VaultNodeProbe> probe) {
        return withNodeState(cluster, node, failed, probe, HOW_TO_BRING_BACK);
    }

    /** The same, with what brings this node back, e.g. after a seal migration that stopped half-way. */
    HostResult withNodeState(Clusters.Cluster cluster, HostWork node, HostResult failed, Optional<VaultNodeProbe> probe,
                             String howToBringBack) {
        if (probe.isEmpty() || failed.unreachable()) {
            return failed;
        }
        HostExecution.Gathered read = reads.read(node, List.of(probe.get().role()));
        NodeRoleFact.Reading own = read.ok() ? read.facts().get(probe.get().role()) : null;
        String cause = failed.error().orElseGet(() -> failed.steps().stream()
                .filter(step -> step.status() == io.vaultcfg.plan.StepStatus.FAILED).map(StepResult::task)
                .findFirst().map(task -> "task '" + task + "' failed").orElse("failed"));
        return new HostResult(failed.play(), failed.host(), false, failed.steps(), Optional.of(cause
                + "; the rollout of cluster " + cluster.name() + " stopped here. " + howToBringBack(own, howToBringBack)));
    }

    static final String HOW_TO_BRING_BACK = "fix the cause (the service's last lines above say it), restart its "
            + "service on the host and check it unseals, then run vaultcfg again for the nodes not started";

    private static String howToBringBack(NodeRoleFact.Reading own) {
        return howToBringBack(own, HOW_TO_BRING_BACK);
    }

    private static String howToBringBack(NodeRoleFact.Reading own, String how) {
        String state = own == null ? "could not be read" : own.describe();
        return "The node is now: " + state + ". To bring it back: " + how;
    }

    /** @param read the node's host's reading of its path to KMS, when it was read with the cluster just now */
    private Optional<String> kmsProblem(HostWork node, VaultNodeProbe probe, Optional<HostExecution.Gathered> read) {
        if (probe.kmsReach().isEmpty()) {
            return Optional.empty();
        }
        KmsReachFact kms = probe.kmsReach().get();
        HostExecution.Gathered gathered = read.orElseGet(() -> reads.read(node, List.of(kms)));
        if (!gathered.ok()) {
            return Optional.of("not restarted: could not check its path to KMS: "
                    + gathered.failure().error().orElse("the host did not answer") + ". Nothing was changed on this host");
        }
        KmsReachFact.Reading reached = gathered.facts().get(kms);
        return reached.reached() ? Optional.empty() : Optional.of("not restarted: the host cannot reach its KMS endpoint "
                + kms.endpoint() + " (" + reached.problem() + "), so its node would not unseal after a restart. "
                + "Nothing was changed on this host");
    }

    /** Every node of the cluster read side by side; the connections of the others are released after. */
    Map<String, NodeRoleFact.Reading> readAll(Clusters.Cluster cluster, String about) {
        return readAll(cluster, about, List.of()).roles();
    }

    /**
     * What one reading of a cluster found: each node's role, and, when a host was asked for more (its path to KMS)
     * in the same round trip, that host's whole read.
     */
    record Reading(Map<String, NodeRoleFact.Reading> roles, Optional<HostExecution.Gathered> asked) {
    }

    /**
     * Every node of the cluster read side by side, {@code about}'s host asked for {@code extra} facts too, in the same
     * round trip; the connections of the others are released after.
     */
    private Reading readAll(Clusters.Cluster cluster, String about, List<Fact<?>> extra) {
        Map<String, CompletableFuture<HostExecution.Gathered>> pending = new LinkedHashMap<>();
        for (String host : cluster.hosts()) {
            HostWork work = works.get(host);
            Optional<VaultNodeProbe> probe = work == null ? Optional.empty() : probes.getOrDefault(host, Optional.empty());
            if (probe.isEmpty()) {
                continue;
            }
            List<Fact<?>> queries = new ArrayList<>(List.of(probe.get().role()));
            if (host.equals(about)) {
                queries.addAll(extra);
            }
            pending.put(host, CompletableFuture.supplyAsync(() -> {
                HostExecution.Gathered read = reads.read(work, queries);
                if (!host.equals(about)) {
                    reads.release(work);
                }
                return read;
            }, reads.executor()));
        }
        Map<String, NodeRoleFact.Reading> readings = new LinkedHashMap<>();
        Optional<HostExecution.Gathered> asked = Optional.empty();
        for (Map.Entry<String, CompletableFuture<HostExecution.Gathered>> entry : pending.entrySet()) {
            HostExecution.Gathered read = entry.getValue().join();
            if (read.ok()) {
                readings.put(entry.getKey(), read.facts().get(probes.get(entry.getKey()).get().role()));
            }
            if (entry.getKey().equals(about) && !extra.isEmpty()) {
                asked = Optional.of(read);
            }
        }
        return new Reading(readings, asked);
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster", e);
        }
    }
}

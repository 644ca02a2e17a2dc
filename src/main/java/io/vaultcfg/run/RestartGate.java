package io.vaultcfg.run;

import io.vaultcfg.module.KmsReachFact;
import io.vaultcfg.module.NodeRoleFact;
import io.vaultcfg.module.VaultNodeProbe;
import io.vaultcfg.plan.Fact;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The checks around one node's restart, each read again from the nodes at that moment (never reused from the
 * start of the run): before, every other node of the cluster unsealed and caught up, the node's own role, and
 * its host reaching the KMS endpoint; after, the node back in its cluster (unsealed and caught up with the
 * active node's committed raft index), or, in a new cluster, answering again.
 */
final class RestartGate {
    private static final long POLL_MILLIS = 250;

    private final PlayRun run;
    private final Map<String, HostWork> works;
    private final Map<String, Optional<VaultNodeProbe>> probes;

    RestartGate(PlayRun run, Map<String, HostWork> works, Map<String, Optional<VaultNodeProbe>> probes) {
        this.run = run;
        this.works = works;
        this.probes = probes;
    }

    /** Empty: restart {@code node} now; else why not (nothing of its plan is carried out). */
    Optional<String> beforeRestart(Clusters.Cluster cluster, HostWork node, Optional<VaultNodeProbe> probe) {
        if (probe.isEmpty()) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + probe.get().settleTimeout().toNanos();
        while (true) {
            Map<String, NodeRoleFact.Reading> readings = readAll(cluster, node.host());
            Optional<String> notReady = ClusterHealth.notReady(cluster.hosts(), Optional.of(node.host()), readings);
            if (notReady.isEmpty()) {
                return otherCluster(node.host(), readings).or(() -> kmsProblem(node, probe.get()));
            }
            if (System.nanoTime() > deadline) {
                return Optional.of("not restarted: the rest of cluster " + cluster.name() + " is not healthy after "
                        + probe.get().settleTimeout().toSeconds() + " s (" + notReady.get() + "); a restart now could cost "
                        + "the cluster its quorum. Nothing was changed on this host");
            }
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

    /** Empty once {@code node} is back in its cluster; else, after its timeout, what is wrong and how to bring it back. */
    Optional<String> awaitBack(Clusters.Cluster cluster, HostWork node, Optional<VaultNodeProbe> probe) {
        if (probe.isEmpty()) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + probe.get().settleTimeout().toNanos();
        while (true) {
            Map<String, NodeRoleFact.Reading> readings = readAll(cluster, node.host());
            Optional<String> notReady = ClusterHealth.notReady(cluster.hosts(), Optional.empty(), readings);
            if (notReady.isEmpty()) {
                return Optional.empty();
            }
            if (System.nanoTime() > deadline) {
                NodeRoleFact.Reading own = readings.get(node.host());
                return Optional.of("restarted, but not back in cluster " + cluster.name() + " within "
                        + probe.get().settleTimeout().toSeconds() + " s: " + notReady.get() + ". " + howToBringBack(own));
            }
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
        HostExecution.Gathered read = run.execution.read(node, List.of(probe.get().role()));
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

    private Optional<String> kmsProblem(HostWork node, VaultNodeProbe probe) {
        if (probe.kmsReach().isEmpty()) {
            return Optional.empty();
        }
        KmsReachFact kms = probe.kmsReach().get();
        HostExecution.Gathered read = run.execution.read(node, List.of(kms));
        if (!read.ok()) {
            return Optional.of("not restarted: could not check its path to KMS: "
                    + read.failure().error().orElse("the host did not answer") + ". Nothing was changed on this host");
        }
        KmsReachFact.Reading reached = read.facts().get(kms);
        return reached.reached() ? Optional.empty() : Optional.of("not restarted: the host cannot reach its KMS endpoint "
                + kms.endpoint() + " (" + reached.problem() + "), so its node would not unseal after a restart. "
                + "Nothing was changed on this host");
    }

    /** Every node of the cluster read side by side; the connections of the others are released after. */
    Map<String, NodeRoleFact.Reading> readAll(Clusters.Cluster cluster, String about) {
        Map<String, CompletableFuture<Optional<NodeRoleFact.Reading>>> pending = new LinkedHashMap<>();
        for (String host : cluster.hosts()) {
            HostWork work = works.get(host);
            Optional<VaultNodeProbe> probe = work == null ? Optional.empty() : probes.getOrDefault(host, Optional.empty());
            if (probe.isEmpty()) {
                continue;
            }
            pending.put(host, CompletableFuture.supplyAsync(() -> {
                HostExecution.Gathered read = run.execution.read(work, List.<Fact<?>>of(probe.get().role()));
                if (!host.equals(about)) {
                    run.execution.release(work);
                }
                return read.ok() ? Optional.of(read.facts().get(probe.get().role())) : Optional.empty();
            }, run.scheduler.executor()));
        }
        Map<String, NodeRoleFact.Reading> readings = new LinkedHashMap<>();
        pending.forEach((host, future) -> future.join().ifPresent(reading -> readings.put(host, reading)));
        return readings;
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

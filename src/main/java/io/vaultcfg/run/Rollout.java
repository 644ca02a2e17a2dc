package io.vaultcfg.run;

import io.vaultcfg.module.NodeRoleFact;
import io.vaultcfg.module.SealMigrationStep;
import io.vaultcfg.module.VaultNodeProbe;
import io.vaultcfg.plan.HostFacts;
import io.vaultcfg.plan.HostPlan;
import io.vaultcfg.plan.HostPlanner;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.vault.NodeRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The rolling order of a play whose tasks check Vault nodes ({@code vault_status}): the hosts of one cluster
 * ({@link Clusters}) go one at a time, in {@link RolloutOrder}; clusters and standalone nodes side by side. A
 * node is restarted only through {@link RestartGate}; the first node of a cluster that fails, or is not back,
 * stops its cluster's rollout, and the nodes after it are not started (their files stay as they are).
 */
final class Rollout {
    private final PlayRun run;
    private final Clusters.Layout layout;
    private final Map<String, HostWork> works;
    private final Map<String, List<String>> orders;
    private final Map<String, Optional<NodeRole>> roles;
    private final Map<String, String> halted = new ConcurrentHashMap<>();
    /** Each targeted clustered host's successor in its cluster's rollout, as {@link #order} set them. */
    private final Map<String, String> nextInCluster = new ConcurrentHashMap<>();
    /** Each host's probe, kept: a host's prepared tasks are released once it is done, its probe is still asked. */
    private final Map<String, Optional<VaultNodeProbe>> probes;
    private final RestartGate gate;
    private final SealMigration migration;

    private Rollout(PlayRun run, Clusters.Layout layout, Map<String, HostWork> works, Map<String, List<String>> orders,
                    Map<String, Optional<NodeRole>> roles) {
        this.run = run;
        this.layout = layout;
        this.works = works;
        this.orders = orders;
        this.roles = roles;
        this.probes = new LinkedHashMap<>();
        works.forEach((host, work) -> probes.put(host, probe(work)));
        this.gate = new RestartGate(run, works, probes);
        this.migration = new SealMigration(run, gate);
    }

    /** The task of a host that checks its Vault node, if any. */
    static Optional<VaultNodeProbe> probe(HostWork work) {
        return work.probe();
    }

    /** A play rolls when a host checks its Vault node or names its cluster. */
    static boolean applies(List<HostWork> hosts) {
        return hosts.stream().anyMatch(work -> probe(work).isPresent() || work.vars().get(Clusters.VARIABLE) != null);
    }

    /** @param hosts every host of the play (targeted or not) with what was read from it */
    static Rollout of(PlayRun run, List<HostWork> hosts, Map<String, HostExecution.Gathered> reads) {
        Map<String, HostWork> works = new LinkedHashMap<>();
        List<Clusters.Node> nodes = new ArrayList<>();
        Map<String, Optional<NodeRole>> roles = new LinkedHashMap<>();
        for (HostWork work : hosts) {
            works.put(work.host(), work);
            Optional<NodeRoleFact.Reading> reading = reading(work, reads.get(work.host()));
            Optional<NodeRole> role = reading.flatMap(NodeRoleFact.Reading::role);
            roles.put(work.host(), role);
            Object declared = work.vars().get(Clusters.VARIABLE);
            boolean haDisabled = reading.flatMap(NodeRoleFact.Reading::haEnabled).filter(Boolean.FALSE::equals).isPresent();
            // an uninitialized node whose configuration names no raft peers is in no cluster yet (unless the inventory says so)
            boolean joinsNothing = declared == null && role.filter(known -> known.role() == NodeRole.Role.UNINITIALIZED).isPresent()
                    && namesRaftPeers(work, reads.get(work.host())).filter(Boolean.FALSE::equals).isPresent();
            nodes.add(new Clusters.Node(work.host(), Optional.ofNullable(declared).map(String::valueOf), role,
                    haDisabled || joinsNothing));
        }
        Clusters.Layout layout = Clusters.of(nodes);
        Map<String, List<String>> orders = new LinkedHashMap<>();
        for (Clusters.Cluster cluster : layout.clusters()) {
            orders.put(cluster.name(), RolloutOrder.of(cluster.hosts(), roles));
        }
        return new Rollout(run, layout, works, orders, roles);
    }

    private static Optional<Boolean> namesRaftPeers(HostWork work, HostExecution.Gathered read) {
        if (read == null || !read.ok()) {
            return Optional.empty();
        }
        return probe(work).flatMap(probe -> probe.namesRaftPeers(read.facts()));
    }

    private static Optional<NodeRoleFact.Reading> reading(HostWork work, HostExecution.Gathered read) {
        if (read == null || !read.ok()) {
            return Optional.empty();
        }
        return probe(work).map(probe -> read.facts().get(probe.role()));
    }

    /** The targeted hosts refused before any change, with the result that says why. */
    Map<String, HostResult> refusals(List<HostWork> targets) {
        Map<String, HostResult> refused = new LinkedHashMap<>();
        for (HostWork work : targets) {
            layout.clusterOf(work.host()).flatMap(Clusters.Cluster::refusal).ifPresent(why ->
                    refused.put(work.host(), run.execution.result(work, List.of(), Optional.of(why))));
        }
        return refused;
    }

    boolean clustered(String host) {
        return layout.clusterOf(host).isPresent();
    }

    /** Tells the listeners the clusters and their order; {@code plans} the targeted hosts' plans as far as known now. */
    void announce(List<HostWork> targets, Map<String, HostPlan> plans) {
        Set<String> targeted = new java.util.HashSet<>(targets.stream().map(HostWork::host).toList());
        List<RunEvent.ClusterRollout> clusters = new ArrayList<>();
        for (Clusters.Cluster cluster : layout.clusters()) {
            List<String> nodes = new ArrayList<>();
            for (String host : orders.get(cluster.name())) {
                if (!targeted.contains(host)) {
                    continue;
                }
                HostPlan plan = plans.get(host);
                String what = plan == null ? "plan unknown" : plan.hasFailure() ? "refused" : restartPending(plan) ? "restart" : "no restart";
                what += plan != null && !plan.hasFailure() && SealMigrationStep.isIn(plan) ? ", seal migration" : "";
                nodes.add(host + " (" + RolloutOrder.kind(roleNow(host)) + ", " + what + ")");
            }
            clusters.add(new RunEvent.ClusterRollout(cluster.name(), nodes, cluster.refusal()));
        }
        List<String> standalone = layout.standalone().stream().filter(targeted::contains).toList();
        run.announce(new RunEvent.RolloutPlanned(run.play(), clusters, standalone, run.check));
    }

    private Optional<NodeRole> roleNow(String host) {
        return roles.getOrDefault(host, Optional.empty());
    }

    /** Each cluster's targeted nodes in rollout order at the places its hosts held, then the play's serial batches. */
    HostOrder<HostWork> order(List<HostWork> targets) {
        List<HostWork> ordered = new ArrayList<>(targets);
        for (Clusters.Cluster cluster : layout.clusters()) {
            List<Integer> places = new ArrayList<>();
            for (int i = 0; i < ordered.size(); i++) {
                if (cluster.hosts().contains(ordered.get(i).host())) {
                    places.add(i);
                }
            }
            List<HostWork> inOrder = orders.get(cluster.name()).stream().map(works::get)
                    .filter(work -> places.stream().anyMatch(i -> ordered.get(i).host().equals(work.host()))).toList();
            for (int k = 0; k < places.size(); k++) {
                ordered.set(places.get(k), inOrder.get(k));
            }
            for (int k = 0; k + 1 < inOrder.size(); k++) {
                nextInCluster.put(inOrder.get(k).host(), inOrder.get(k + 1).host());
            }
        }
        List<HostOrder.Batch<HostWork>> batches = new ArrayList<>();
        for (List<HostWork> batch : PlaybookRunner.batches(run.prepared.play(), ordered)) {
            Map<String, List<HostWork>> groups = new LinkedHashMap<>();
            for (HostWork work : batch) {
                String key = layout.clusterOf(work.host()).map(cluster -> "cluster:" + cluster.name()).orElse("host:" + work.host());
                groups.computeIfAbsent(key, name -> new ArrayList<>()).add(work);
            }
            batches.add(new HostOrder.Batch<>(groups.values().stream().map(hosts -> new HostOrder.Group<>(List.copyOf(hosts))).toList()));
        }
        return new HostOrder<>(List.copyOf(batches));
    }

    static boolean restartPending(HostPlan plan) {
        return plan.steps().stream().anyMatch(step -> step.restarts() && step.status() == StepStatus.CHANGED);
    }

    /** A plan of the host as far as it is known now (a controller's values may still be unknown). */
    static HostPlan preview(HostWork work, HostFacts facts) {
        return HostPlanner.plan(work.host(), work.tasks(), work.handlers(), facts);
    }

    /**
     * One host of the play, called from its worker: a clustered node after a halt is not started; else it is
     * planned and applied, its restart through the gate, and once restarted it must be back before the next.
     */
    HostResult runHost(HostWork work, Function<HostExecution.ApplyGate, HostResult> planAndApply) {
        Optional<Clusters.Cluster> cluster = layout.clusterOf(work.host());
        Optional<VaultNodeProbe> probe = probes.getOrDefault(work.host(), Optional.empty());
        boolean migrating = !run.check && migration.applies(probe);
        if (cluster.isEmpty() || run.check) {
            return migrating ? standaloneMigration(work, probe.get(), planAndApply) : planAndApply.apply(HostExecution.ApplyGate.OPEN);
        }
        String name = cluster.get().name();
        String stop = halted.get(name);
        if (stop != null) {
            return notStarted(work, stop);
        }
        boolean[] restarting = {false};
        boolean[] unsealing = {false};
        HostResult result = planAndApply.apply((node, plan) -> {
            unsealing[0] = migrating && SealMigrationStep.isIn(plan);
            if (!restartPending(plan)) {
                return Optional.empty();
            }
            restarting[0] = true;
            Optional<String> refusal = gate.beforeRestart(cluster.get(), node, probe(node));
            return refusal.isPresent() || !unsealing[0] ? refusal : migration.beforeApply(cluster.get(), node, probe.get());
        });
        if (!result.failed() && !result.unreachable() && unsealing[0]) {
            Optional<String> notUnsealed = migration.afterApply(work, probe.get());
            if (notUnsealed.isPresent()) {
                halted.put(name, "the rollout of cluster " + name + " stopped at " + work.host() + ", whose seal migration "
                        + "did not complete; this node was not touched");
                return gate.withNodeState(cluster.get(), work, SealMigration.failed(run, work, result, notUnsealed.get()), probe,
                        SealMigration.HOW_TO_CONTINUE);
            }
            restarting[0] = true;
        }
        if (result.failed() || result.unreachable()) {
            halted.put(name, "the rollout of cluster " + name + " stopped at " + work.host() + ", which failed; this node "
                    + "was not touched");
            return gate.withNodeState(cluster.get(), work, result, probes.get(work.host()),
                    migrating ? SealMigration.HOW_TO_CONTINUE : RestartGate.HOW_TO_BRING_BACK);
        }
        if (restarting[0]) {
            Optional<String> notBack = gate.awaitBack(cluster.get(), work, probes.get(work.host()),
                    Optional.ofNullable(nextInCluster.get(work.host())));
            if (notBack.isPresent()) {
                halted.put(name, "the rollout of cluster " + name + " stopped at " + work.host()
                        + ", which is not back in its cluster; this node was not touched");
                return new HostResult(result.play(), result.host(), false, result.steps(), Optional.of(notBack.get()));
            }
        }
        return migrating ? migration.completed(work, result) : result;
    }

    /** A node of no cluster: its apply, then the keys with migrate, and it completes the migration itself. */
    private HostResult standaloneMigration(HostWork work, VaultNodeProbe probe,
                                           Function<HostExecution.ApplyGate, HostResult> planAndApply) {
        boolean[] unsealing = {false};
        HostResult result = planAndApply.apply((node, plan) -> {
            unsealing[0] = SealMigrationStep.isIn(plan);
            return unsealing[0] && run.sealMigration.keys().isEmpty()
                    ? Optional.of("not changed: a seal migration needs the unseal keys (apply --migrate-seal)") : Optional.empty();
        });
        if (result.failed() || result.unreachable() || !unsealing[0]) {
            return result;
        }
        Optional<String> notUnsealed = migration.afterApply(work, probe).or(() -> migration.awaitUnsealed(work, probe));
        return notUnsealed.map(why -> SealMigration.failed(run, work, result, why)).orElseGet(() -> migration.completed(work, result));
    }

    HostResult notStarted(HostWork work, String why) {
        return new HostResult(run.play(), work.host(), false,
                List.of(new StepResult("rollout", "", StepStatus.SKIPPED, "not started: " + why, Optional.empty())),
                Optional.empty());
    }

    /** Runs the targets in rollout order; the play's failure limits stop it between batches. */
    void run(List<HostWork> targets, Function<HostWork, HostResult> job) {
        run.scheduler.run(order(targets), job,
                batch -> FailureLimit.afterBatch(run.prepared.play().maxFailPercentage(), batch),
                (work, why) -> {
                    HostResult skipped = notStarted(work, why.replaceFirst("^not started: ", ""));
                    run.hostFinished(skipped);
                    return skipped;
                });
    }
}

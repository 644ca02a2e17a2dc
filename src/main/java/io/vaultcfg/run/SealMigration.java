package io.vaultcfg.run;

import io.vaultcfg.module.NodeRoleFact;
import io.vaultcfg.module.VaultNodeProbe;
import io.vaultcfg.secret.UnsealKeys;
import io.vaultcfg.shell.ShellQuote;
import io.vaultcfg.vault.NodeRole;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --migrate-seal}: a Shamir-sealed cluster moved to its new seal as OpenBao and Vault document it for HA
 * clusters, around each node's own apply (which lays the new seal's files and restarts it). A standby, restarted
 * on the new seal, is sealed in a seal migration: it gets the unseal keys with {@code migrate} ({@link UnsealCall}).
 * The active node is stopped through its service before its apply, once every other node is migrated, so that a
 * migrated standby takes over and completes the migration; its apply (files, start) goes on only once that new
 * leader reports the new seal, and it then unseals by itself. Standalone nodes migrate themselves once unsealed.
 */
final class SealMigration {
    private static final long POLL_MILLIS = 250;
    private static final Duration SERVICE_BUDGET = Duration.ofSeconds(190);
    static final String HOW_TO_CONTINUE = "run the same command again with the cluster's unseal keys: it continues the "
            + "migration where it stopped (the other nodes keep the cluster's quorum meanwhile)";

    private final PlayRun run;
    private final RestartGate gate;
    /** What happened to each migrated node, for its line once it is back. */
    private final Map<String, String> done = new java.util.concurrent.ConcurrentHashMap<>();

    SealMigration(PlayRun run, RestartGate gate) {
        this.run = run;
        this.gate = gate;
    }

    boolean applies(Optional<VaultNodeProbe> probe) {
        return run.sealMigration.enabled() && probe.filter(VaultNodeProbe::migratesSeal).isPresent();
    }

    /**
     * Before {@code node}'s plan is carried out (its restart already allowed by the gate): empty to go on; else why
     * not, and nothing of its plan is carried out. The active node on its old seal is stopped here.
     */
    Optional<String> beforeApply(Clusters.Cluster cluster, HostWork node, VaultNodeProbe probe) {
        if (run.sealMigration.keys().isEmpty()) {
            return Optional.of("not changed: a seal migration needs the unseal keys (apply --migrate-seal)");
        }
        Map<String, NodeRoleFact.Reading> readings = gate.readAll(cluster, node.host());
        Optional<NodeRole> own = role(readings, node.host());
        if (own.isEmpty() || own.get().role() != NodeRole.Role.ACTIVE || !own.get().sealType().equals("shamir")
                || cluster.hosts().size() < 2) {
            return Optional.empty();
        }
        List<String> notMigrated = cluster.hosts().stream().filter(host -> !host.equals(node.host()))
                .filter(host -> role(readings, host).filter(role -> role.migration() || !role.sealType().equals("shamir")).isEmpty())
                .toList();
        if (!notMigrated.isEmpty()) {
            return Optional.of("not stopped: the active node hands the migration to a migrated standby, and "
                    + String.join(", ", notMigrated) + " is not migrated yet (run again for the whole cluster). "
                    + "Nothing was changed on this host");
        }
        if (probe.service().isEmpty()) {
            return Optional.of("not stopped: its vault_status task names no service to stop it through");
        }
        String service = ShellQuote.quote(probe.service().get());
        Optional<String> stopped = run.execution.runScript(node, "systemctl stop -- " + service + "\n", SERVICE_BUDGET);
        if (stopped.isPresent()) {
            return Optional.of("not stopped for the seal migration: " + stopped.get());
        }
        Optional<String> leader = awaitLeaderOnNewSeal(cluster, node, probe.settleTimeout());
        if (leader.isPresent()) {
            done.put(node.host(), "stopped until " + leader.get() + " led on the new seal, then started on it: unsealed through "
                    + "KMS. The migration is complete: the old unseal keys are now the cluster's recovery keys (keep them safe)");
            return Optional.empty();
        }
        Optional<String> restarted = run.execution.runScript(node, "systemctl start -- " + service + "\n", SERVICE_BUDGET);
        Optional<String> unsealed = restarted.isPresent() ? Optional.empty() : awaitSealedThenUnseal(node, probe, false);
        return Optional.of("stopped for the seal migration, but no migrated standby took over on the new seal within "
                + probe.settleTimeout().toSeconds() + " s (only a raft voter can: check the standbys are voters, "
                + "operator raft list-peers); the node was started again on its old files"
                + restarted.or(() -> unsealed).map(why -> " and is not back: " + why).orElse(" and unsealed with the keys")
                + ". Nothing else was changed on this host");
    }

    /** {@code applied} with its migration step saying what was done, once the node is back. */
    HostResult completed(HostWork node, HostResult applied) {
        String what = done.remove(node.host());
        if (what == null) {
            return applied;
        }
        List<StepResult> steps = applied.steps().stream().map(step -> step.status() == io.vaultcfg.plan.StepStatus.CHANGED
                && step.message().startsWith("seal migration: ") ? new StepResult(step.task(), step.module(), step.status(),
                "seal migration: " + what, step.diff()) : step).toList();
        return new HostResult(applied.play(), applied.host(), applied.unreachable(), steps, applied.error());
    }

    /** {@code applied} with its migration step failed for {@code why}, and the host's error saying so. */
    static HostResult failed(PlayRun run, HostWork node, HostResult applied, String why) {
        List<StepResult> steps = applied.steps().stream().map(step -> step.status() == io.vaultcfg.plan.StepStatus.CHANGED
                && step.message().startsWith("seal migration: ") ? new StepResult(step.task(), step.module(),
                io.vaultcfg.plan.StepStatus.FAILED, "seal migration: not completed", step.diff()) : step).toList();
        return run.execution.result(node, steps, Optional.of("seal migration: " + why));
    }

    /** After {@code node}'s plan was carried out: a node sealed in a seal migration gets the keys with migrate. */
    Optional<String> afterApply(HostWork node, VaultNodeProbe probe) {
        if (run.sealMigration.keys().isEmpty()) {
            return Optional.empty();
        }
        return awaitSealedThenUnseal(node, probe, true);
    }

    /** A standalone node once its keys went in: empty once it is unsealed. */
    Optional<String> awaitUnsealed(HostWork node, VaultNodeProbe probe) {
        long deadline = System.nanoTime() + probe.settleTimeout().toNanos();
        while (true) {
            Optional<NodeRoleFact.Reading> reading = read(node, probe);
            if (reading.flatMap(NodeRoleFact.Reading::role).filter(NodeRole::unsealed).isPresent()) {
                return Optional.empty();
            }
            if (System.nanoTime() > deadline) {
                return Optional.of("not unsealed within " + probe.settleTimeout().toSeconds() + " s: "
                        + reading.map(NodeRoleFact.Reading::describe).orElse("its role could not be read"));
            }
            pause();
        }
    }

    private Optional<String> awaitSealedThenUnseal(HostWork node, VaultNodeProbe probe, boolean migrate) {
        long deadline = System.nanoTime() + probe.settleTimeout().toNanos();
        while (true) {
            Optional<NodeRole> role = read(node, probe).flatMap(NodeRoleFact.Reading::role)
                    .filter(now -> now.role() != NodeRole.Role.CHANGING);
            if (role.isPresent() && (!role.get().sealed() || !role.get().initialized())) {
                done.putIfAbsent(node.host(), "on the new seal, unsealed by itself (no key needed)");
                return Optional.empty();
            }
            if (role.isPresent() && (role.get().migration() || !migrate)) {
                Optional<String> failed = new UnsealCall(run.execution, node, probe.role(), run.sealMigration.keys().get())
                        .send(migrate);
                if (failed.isEmpty()) {
                    done.put(node.host(), "unsealed with the unseal keys (migrate) on the new seal; the keys become recovery keys "
                            + "once the cluster's active node runs on the new seal (a node on its own: at once)");
                }
                return failed;
            }
            if (System.nanoTime() > deadline) {
                return Optional.of("did not answer as sealed in a seal migration within " + probe.settleTimeout().toSeconds()
                        + " s: " + role.map(NodeRole::describe).orElse("its role could not be read"));
            }
            pause();
        }
    }

    private Optional<String> awaitLeaderOnNewSeal(Clusters.Cluster cluster, HostWork node, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() <= deadline) {
            Map<String, NodeRoleFact.Reading> readings = gate.readAll(cluster, node.host());
            Optional<String> leader = cluster.hosts().stream().filter(host -> !host.equals(node.host()))
                    .filter(host -> role(readings, host).filter(role -> role.role() == NodeRole.Role.ACTIVE
                            && !role.sealType().equals("shamir") && !role.migration()).isPresent())
                    .findFirst();
            if (leader.isPresent()) {
                return leader;
            }
            pause();
        }
        return Optional.empty();
    }

    private Optional<NodeRoleFact.Reading> read(HostWork node, VaultNodeProbe probe) {
        HostExecution.Gathered read = run.execution.read(node, List.of(probe.role()));
        return read.ok() ? Optional.of(read.facts().get(probe.role())) : Optional.empty();
    }

    private static Optional<NodeRole> role(Map<String, NodeRoleFact.Reading> readings, String host) {
        return Optional.ofNullable(readings.get(host)).flatMap(NodeRoleFact.Reading::role);
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the seal migration", e);
        }
    }
}

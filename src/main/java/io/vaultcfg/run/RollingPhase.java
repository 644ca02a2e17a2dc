package io.vaultcfg.run;

import io.vaultcfg.plan.HostPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A play without controller tasks that checks Vault nodes: every host's facts (its node's role among them) are
 * read first, side by side; then the clusters are known, a cluster whose nodes disagree with the inventory is
 * refused before any change, and the hosts are planned and applied in the {@link Rollout}'s order.
 */
final class RollingPhase {
    private RollingPhase() {
    }

    /** @param hosts the play's hosts not lost in an earlier play, targeted or not */
    static void run(PlayRun run, List<HostWork> hosts) {
        Map<String, HostExecution.Gathered> reads = new ConcurrentHashMap<>();
        run.scheduler.run(HostOrder.allAtOnce(hosts), work -> {
            HostExecution.Gathered read = run.execution.gather(work, List.of());
            run.execution.release(work);
            work.unload();
            reads.put(work.host(), read);
            return null;
        });
        List<HostWork> targets = hosts.stream().filter(HostWork::targeted).toList();
        Rollout rollout = Rollout.of(run, hosts, reads);
        Map<String, HostResult> refused = rollout.refusals(targets);
        Map<String, HostPlan> plans = new LinkedHashMap<>();
        for (HostWork work : targets) {
            HostExecution.Gathered read = reads.get(work.host());
            if (read.ok() && !refused.containsKey(work.host())) {
                plans.put(work.host(), Rollout.preview(work, read.facts()));
                work.unload();
            }
        }
        rollout.announce(targets, plans);
        refused.values().forEach(run::hostFinished);
        List<HostWork> remaining = targets.stream().filter(work -> !refused.containsKey(work.host())).toList();
        rollout.run(remaining, work -> {
            HostExecution.Gathered read = reads.remove(work.host());
            HostResult result = read.ok()
                    ? rollout.runHost(work, gate -> run.execution.planAndApply(work, read.facts(), gate))
                    : read.failure();
            run.execution.release(work);
            work.release();
            run.hostFinished(result);
            return result.outcomeOnly();
        });
    }
}

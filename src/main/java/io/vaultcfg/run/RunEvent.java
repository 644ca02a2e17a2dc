package io.vaultcfg.run;

import java.util.List;

/** What a run tells its listeners, in order: the only way a run's progress and results leave the runner. */
public sealed interface RunEvent {
    /**
     * @param hosts      the hosts the play may change, in order
     * @param controller the play has controller tasks (their result comes first)
     */
    record PlayStarted(String play, List<String> hosts, boolean controller, boolean check) implements RunEvent {
    }

    /** Once per host and play, from the host's worker thread. */
    record HostFinished(HostResult result) implements RunEvent {
    }

    /** Once per play with controller tasks after they planned (and applied), and again if they settle something after the hosts. */
    record ControllerFinished(ControllerResult result) implements RunEvent {
    }

    /**
     * The clusters found among a play's hosts and the order their nodes go in, one at a time per cluster; told
     * once per play that checks Vault nodes, before the first node is changed.
     *
     * @param standalone hosts that stand alone (they run side by side)
     */
    record RolloutPlanned(String play, List<ClusterRollout> clusters, List<String> standalone, boolean check)
            implements RunEvent {
    }

    /**
     * @param nodes   the cluster's targeted nodes in the order they go, each with its role and whether it restarts
     * @param refusal set when the cluster is refused before any change (its nodes disagree with the inventory)
     */
    record ClusterRollout(String name, List<String> nodes, java.util.Optional<String> refusal) {
    }

    record RunFinished(RunResult result) implements RunEvent {
    }
}

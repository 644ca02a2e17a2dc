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

    record RunFinished(RunResult result) implements RunEvent {
    }
}

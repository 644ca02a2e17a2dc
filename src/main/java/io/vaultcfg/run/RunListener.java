package io.vaultcfg.run;

import java.util.List;

/** Progress events: the console, the JSON report and tests all read the same stream. */
public interface RunListener {
    default void playStarted(String play, List<String> hosts, boolean check) {
    }

    /** Called once per host and play, from the host's worker thread. */
    default void hostFinished(HostResult result) {
    }

    default void runFinished(RunResult result) {
    }
}

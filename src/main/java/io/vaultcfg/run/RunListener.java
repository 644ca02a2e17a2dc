package io.vaultcfg.run;

import java.util.List;

/** Where a run's events go: the console, the JSON report and tests all read the same stream. Thread-safe. */
public interface RunListener {
    void on(RunEvent event);

    /** Every listener, in order, gets every event. */
    static RunListener all(List<RunListener> listeners) {
        return event -> listeners.forEach(listener -> listener.on(event));
    }

    RunListener NONE = event -> { };
}

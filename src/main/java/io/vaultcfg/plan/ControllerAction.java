package io.vaultcfg.plan;

import java.util.List;
import java.util.Map;

/**
 * A task that runs once per play on the controller (e.g. AWS provisioning). It may read facts from
 * every host of the play, even those outside --limit, and its results become variables for the
 * host tasks.
 */
public interface ControllerAction {
    /** Facts to read from every host of the play, in the same round trip as the hosts' own facts. */
    default List<FactQuery> fleetFacts() {
        return List.of();
    }

    /** Starts the reads that need no host facts, so they overlap the SSH fan-out. */
    default void startReading() {
    }

    /** Reads only. {@code fleet} holds the facts of every reachable host of the play. */
    ControllerPlan plan(Map<String, HostFacts> fleet, boolean checkMode);
}

package io.vaultcfg.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A task that runs once per play on the controller (e.g. AWS provisioning). It may read facts from
 * every host of the play, even those outside --limit, and its results become variables for the
 * host tasks.
 */
public interface ControllerAction extends AutoCloseable {
    /**
     * One host of the play as the controller task sees it: its variables and what was read from it.
     *
     * @param facts    null when the host was not read
     * @param targeted the run may change it (inside --limit)
     * @param unread   why it was not read in this run (unreachable, failed, lost in an earlier play)
     */
    record FleetHost(String name, Map<String, Object> vars, HostFacts facts, boolean targeted, Optional<String> unread) {
        public FleetHost(String name, Map<String, Object> vars, HostFacts facts) {
            this(name, vars, facts, true, Optional.empty());
        }
    }

    /** Facts to read from a host (given its variables), in the same round trip as the host's own facts. */
    default List<Fact<?>> fleetFacts(Map<String, Object> hostVars) {
        return List.of();
    }

    /**
     * Local set-up only (no network): called as soon as the task is prepared, so it overlaps the
     * validation of the rest of the input instead of the SSH fan-out.
     */
    default void prepareLocally() {
    }

    /**
     * Checks the task's per-host values against one host's variables while the input is validated
     * (nothing contacted yet); throws ConfigException naming the playbook line.
     */
    default void checkHost(String host, Map<String, Object> hostVars) {
    }

    /** Starts the reads that need no host facts, so they overlap the SSH fan-out. */
    default void startReading() {
    }

    /**
     * Reads only, and the same plan whether it is then applied or only checked. {@code fleet} holds every host of
     * the play, read or not (targeted or not).
     */
    ControllerPlan plan(List<FleetHost> fleet);

    /** Releases what the task holds (network clients); called once at the end of the run, also after a failure. */
    @Override
    default void close() {
    }
}

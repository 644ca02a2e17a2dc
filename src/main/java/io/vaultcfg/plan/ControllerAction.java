package io.vaultcfg.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * A task that runs once per play on the controller (e.g. AWS provisioning). It may read facts from
 * every host of the play, even those outside --limit, and its results become variables for the
 * host tasks.
 *
 * <p>The runner calls it in steps, each with typed inputs and outputs, and decides when each runs:
 * {@link #read} beside the hosts' facts, {@link #plan} once every host was read, {@link #apply}
 * (apply mode only) before the hosts are planned, {@link #afterHosts} once they ran. An action
 * starts no thread of its own; failures are {@link ControllerPlan.ControllerFailure}.
 *
 * @param <R> what {@link #read} returns
 * @param <P> its plan
 * @param <A> what applying the plan returns
 */
public interface ControllerAction<R, P extends ControllerPlan, A extends ControllerApplied> extends AutoCloseable {
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
     * Checks the task's per-host values against one host's variables while the input is validated
     * (nothing contacted yet); throws ConfigException naming the playbook line.
     */
    default void checkHost(String host, Map<String, Object> hostVars) {
    }

    /** Local set-up only (no network); the runner runs it while the rest of the input is validated. */
    default void warmUp() {
    }

    /**
     * Reads only, needing no host: the runner runs it beside the hosts' facts.
     *
     * @param parallel runs independent reads side by side (the runner's executor)
     */
    R read(Executor parallel);

    /** Reads at most, never writes. {@code fleet} holds every host of the play, read or not (targeted or not). */
    P plan(R read, List<FleetHost> fleet);

    /** Makes exactly the plan's changes (apply mode only, and only when no step of the plan failed). */
    A apply(P plan);

    /**
     * After the hosts of the play ran (apply mode, once {@link #apply} succeeded): settles what depended on
     * them, e.g. deletes a new access key no host received.
     *
     * @param succeeded the targeted hosts whose changes all went through
     * @param reread    reads a targeted host's facts again (the same queries); empty when it cannot be read
     * @return lines for the controller's result; a FAILED one fails the run
     */
    default List<Step> afterHosts(A applied, Set<String> succeeded, Function<String, Optional<HostFacts>> reread) {
        return List.of();
    }

    /** Releases what the task holds (network clients); called once at the end of the run, also after a failure. */
    @Override
    default void close() {
    }
}

package io.vaultcfg.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** What a controller task will do: shown like a host's steps, then applied once. */
public interface ControllerPlan {
    /** A FAILED step means the whole play stops before anything changes. */
    List<Step> steps();

    /** The variables it provides, with values not known yet shown as "(known after apply)". */
    Map<String, Object> plannedExports();

    /** Makes the changes and returns the final variables; throws {@link ControllerFailure} to stop the play. */
    Map<String, Object> apply();

    /**
     * After the hosts of the play ran (apply mode, once {@link #apply()} succeeded): settles what depended on
     * them, e.g. deletes a new access key no host received.
     *
     * @param succeeded the targeted hosts whose changes all went through
     * @param reread    reads a targeted host's facts again (the same queries); empty when it cannot be read
     * @return lines for the controller's result; a FAILED one fails the run
     */
    default List<Step> afterHosts(Set<String> succeeded, Function<String, Optional<HostFacts>> reread) {
        return List.of();
    }

    /** Stops the play; the message is shown to the user (no secrets). */
    final class ControllerFailure extends RuntimeException {
        public ControllerFailure(String message) {
            super(message);
        }
    }
}

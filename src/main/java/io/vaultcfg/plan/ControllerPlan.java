package io.vaultcfg.plan;

import java.util.List;
import java.util.Map;

/** What a controller task will do: shown like a host's steps, then applied once. */
public interface ControllerPlan {
    /** A FAILED step means the whole play stops before anything changes. */
    List<Step> steps();

    /** The variables it provides, with values not known yet shown as "(known after apply)". */
    Map<String, Object> plannedExports();

    /** Makes the changes and returns the final variables; throws {@link ControllerFailure} to stop the play. */
    Map<String, Object> apply();

    /** Stops the play; the message is shown to the user (no secrets). */
    final class ControllerFailure extends RuntimeException {
        public ControllerFailure(String message) {
            super(message);
        }
    }
}

package io.vaultcfg.plan;

import java.util.List;
import java.util.Map;

/**
 * What a controller task will do, as a value: its lines (shown like a host's steps, the same in check
 * and apply mode) and the variables it will provide. Applying it is the runner's next step
 * ({@link ControllerAction#apply}); the plan itself changes nothing.
 */
public interface ControllerPlan {
    /** A FAILED step means the whole play stops before anything changes. */
    List<Step> steps();

    /** The variables it provides; a value that only applying can produce is an {@link Unknown}. */
    Map<String, Object> exports();

    /** Stops the play; the message is shown to the user (no secrets). */
    final class ControllerFailure extends RuntimeException {
        public ControllerFailure(String message) {
            super(message);
        }
    }
}

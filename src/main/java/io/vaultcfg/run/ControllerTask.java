package io.vaultcfg.run;

import io.vaultcfg.plan.ControllerAction;

/** A controller task prepared for its play; {@code skipReason} set when its condition is false. */
record ControllerTask(String name, String module, ControllerAction<?, ?, ?> action, String skipReason) {
    boolean skipped() {
        return skipReason != null;
    }
}

package io.vaultcfg.module;

import io.vaultcfg.plan.Action;
import io.vaultcfg.plan.ControllerAction;
import java.util.Set;

/** A module that runs once per play on the controller; its results are variables for the hosts. */
public interface ControllerModule extends Module {
    /** The variables it sets, so templates can be checked (with {@link io.vaultcfg.plan.Unknown} values) before they are known. */
    Set<String> exports();

    ControllerAction<?, ?, ?> prepareController(TaskInput input);

    @Override
    default Action prepare(TaskInput input) {
        throw new UnsupportedOperationException(name() + " runs on the controller");
    }
}

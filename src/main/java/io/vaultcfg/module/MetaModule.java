package io.vaultcfg.module;

import io.vaultcfg.plan.Action;
import java.util.Set;

/** {@code meta: flush_handlers}: run the handlers notified so far, now. */
final class MetaModule implements Module {
    @Override
    public String name() {
        return "meta";
    }

    @Override
    public Set<String> arguments() {
        return Set.of();
    }

    @Override
    public Action prepare(TaskInput input) {
        String value = input.optionalString("_value").orElse("");
        if (!value.equals("flush_handlers")) {
            throw input.error("_value", "only 'meta: flush_handlers' is supported");
        }
        return Action.FLUSH_HANDLERS;
    }
}

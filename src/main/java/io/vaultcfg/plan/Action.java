package io.vaultcfg.plan;

import java.util.List;

/**
 * A task made ready for one host: its arguments resolved and its content rendered locally.
 * It says which facts it needs, then computes its step from them, the same step whether the run
 * applies it or only checks. Actions never touch a host; the executor does.
 */
public interface Action {
    default List<Fact<?>> facts() {
        return List.of();
    }

    Step plan(PlanContext context);

    /** Marker for {@code meta: flush_handlers}. */
    Action FLUSH_HANDLERS = context -> Step.ok("handlers flushed");
}

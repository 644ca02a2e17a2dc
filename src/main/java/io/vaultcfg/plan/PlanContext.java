package io.vaultcfg.plan;

/**
 * What an action can see while planning: the host's facts and whether an earlier step restarts the service.
 * Not whether the run applies or only checks: the plan is the same value either way.
 */
public record PlanContext(HostFacts facts, boolean restartPending) {
}

package io.vaultcfg.plan;

/**
 * What an action can see while planning: the host's facts, whether an earlier step restarts the
 * service, and whether this is a check run.
 */
public record PlanContext(HostFacts facts, boolean restartPending, boolean checkMode) {
}

package io.vaultcfg.module;

import io.vaultcfg.plan.HostPlan;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import java.util.List;
import java.util.Optional;

/**
 * The {@code vault_status} step of a node that {@code --migrate-seal} moves off its Shamir seal: nothing runs for it
 * in the host's apply script; the runner sends the unseal keys (with {@code migrate}) through the node's own API in
 * a command of its own, then waits for the node to be back in its cluster.
 */
public final class SealMigrationStep {
    private static final String PREFIX = "seal migration: ";

    private SealMigrationStep() {
    }

    /** The plan has the node unsealed with the keys by the runner after its apply. */
    public static boolean isIn(HostPlan plan) {
        return plan.steps().stream().anyMatch(step -> step.action().isEmpty() && step.status() == StepStatus.CHANGED
                && step.message().startsWith(PREFIX));
    }

    static Step unsealWithKeys(String when) {
        return new Step("", "", StepStatus.CHANGED, PREFIX + "unsealed with the unseal keys (migrate) " + when,
                Optional.empty(), Optional.empty(), false, List.of())
                .previewedAs(StepStatus.CHANGED, PREFIX + "would be unsealed with the unseal keys (migrate) " + when);
    }
}

package io.vaultcfg.plan;

import java.util.List;
import java.util.Optional;

/**
 * One planned task on one host: what it will do (or would do, in check mode) and why.
 *
 * @param message  short human summary, already free of secrets
 * @param diff     unified diff, already redacted
 * @param action   what to run on the host in apply mode; empty when nothing needs doing
 * @param restarts true when the action restarts the service (vault_status waits for it)
 */
public record Step(
        String task,
        String module,
        StepStatus status,
        String message,
        Optional<String> diff,
        Optional<RemoteAction> action,
        boolean restarts,
        List<String> notifies) {

    public static Step ok(String message) {
        return new Step("", "", StepStatus.OK, message, Optional.empty(), Optional.empty(), false, List.of());
    }

    public static Step skipped(String message) {
        return new Step("", "", StepStatus.SKIPPED, message, Optional.empty(), Optional.empty(), false, List.of());
    }

    public static Step failed(String message) {
        return new Step("", "", StepStatus.FAILED, message, Optional.empty(), Optional.empty(), false, List.of());
    }

    public static Step changed(String message, Optional<String> diff, RemoteAction action) {
        return new Step("", "", StepStatus.CHANGED, message, diff, Optional.of(action), false, List.of());
    }

    public Step named(String taskName, String moduleName, List<String> notified) {
        return new Step(taskName, moduleName, status, message, diff, action, restarts, notified);
    }

    public Step restarting() {
        return new Step(task, module, status, message, diff, action, true, notifies);
    }

    public Step withoutDiff() {
        return new Step(task, module, status, message, Optional.empty(), action, restarts, notifies);
    }
}

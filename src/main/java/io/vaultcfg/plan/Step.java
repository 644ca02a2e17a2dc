package io.vaultcfg.plan;

import java.util.List;
import java.util.Optional;

/**
 * One planned task on one host: what it will do and why. Check mode shows the same step without carrying it
 * out, as its {@link #preview()}.
 *
 * @param message   short human summary, already free of secrets
 * @param diff      unified diff, already redacted
 * @param action    what to run on the host in apply mode; empty when nothing needs doing
 * @param restarts  true when the action restarts the service (vault_status waits for it)
 * @param unapplied how the step reads when it is not carried out, when that differs from its status and
 *                  message (a command that would run; a wait that cannot happen without the change before it)
 * @param quiet     a change the running service never sees (a file's owner or mode, the content it loaded
 *                  unchanged): it does not notify the task's handlers, so it restarts nothing
 */
public record Step(
        String task,
        String module,
        StepStatus status,
        String message,
        Optional<String> diff,
        Optional<RemoteAction> action,
        boolean restarts,
        List<String> notifies,
        Optional<Preview> unapplied,
        boolean quiet) {

    public Step(String task, String module, StepStatus status, String message, Optional<String> diff,
                Optional<RemoteAction> action, boolean restarts, List<String> notifies) {
        this(task, module, status, message, diff, action, restarts, notifies, Optional.empty(), false);
    }

    public Step(String task, String module, StepStatus status, String message, Optional<String> diff,
                Optional<RemoteAction> action, boolean restarts, List<String> notifies, Optional<Preview> unapplied) {
        this(task, module, status, message, diff, action, restarts, notifies, unapplied, false);
    }

    /** A step's status and message as check mode reports them. */
    public record Preview(StepStatus status, String message) {
    }

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

    /** What check mode reports for this step, which it does not carry out. */
    public Preview preview() {
        return unapplied.orElse(new Preview(status, message));
    }

    public Step previewedAs(StepStatus previewStatus, String previewMessage) {
        return new Step(task, module, status, message, diff, action, restarts, notifies,
                Optional.of(new Preview(previewStatus, previewMessage)), quiet);
    }

    public Step named(String taskName, String moduleName, List<String> notified) {
        return new Step(taskName, moduleName, status, message, diff, action, restarts, notified, unapplied, quiet);
    }

    public Step restarting() {
        return new Step(task, module, status, message, diff, action, true, notifies, unapplied, quiet);
    }

    public Step withoutDiff() {
        return new Step(task, module, status, message, Optional.empty(), action, restarts, notifies, unapplied, quiet);
    }

    /** See {@code quiet}: the change is made, its handlers are not notified. */
    public Step quietly() {
        return new Step(task, module, status, message, diff, action, restarts, notifies, unapplied, true);
    }
}

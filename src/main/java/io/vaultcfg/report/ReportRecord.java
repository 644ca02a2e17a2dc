package io.vaultcfg.report;

import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.run.ControllerResult;
import io.vaultcfg.run.HostResult;
import io.vaultcfg.run.RunEvent;
import io.vaultcfg.run.StepResult;
import java.util.List;
import java.util.Optional;

/**
 * One host, or the controller, in one play, with its tasks: the one schema that {@code --report} (JSON) and
 * {@code --junit} (XML) both write, each from the same event, so the two never disagree on a status or a count.
 * Its text is already redacted: results leave the runner through the {@code Redactor}.
 *
 * @param host  empty for the controller's lines (a kind of their own: a host may be called {@code controller})
 * @param error why the host was unreachable or failed, or why the controller stopped the play
 */
public record ReportRecord(String play, Optional<String> host, Status status, Optional<String> error, List<StepResult> tasks) {

    public enum Status {
        OK, CHANGED, FAILED, UNREACHABLE;

        public String label() {
            return name().toLowerCase();
        }
    }

    public static ReportRecord of(HostResult host) {
        Status status = host.unreachable() ? Status.UNREACHABLE : host.failed() ? Status.FAILED
                : host.count(StepStatus.CHANGED) > 0 ? Status.CHANGED : Status.OK;
        return new ReportRecord(host.play(), Optional.of(host.host()), status, host.error(), host.steps());
    }

    public static ReportRecord of(ControllerResult controller) {
        Status status = controller.failed() ? Status.FAILED
                : controller.count(StepStatus.CHANGED) > 0 ? Status.CHANGED : Status.OK;
        return new ReportRecord(controller.play(), Optional.empty(), status, controller.error(), controller.steps());
    }

    /** The record an event carries, if any: a host's or the controller's result. */
    public static Optional<ReportRecord> of(RunEvent event) {
        if (event instanceof RunEvent.HostFinished finished) {
            return Optional.of(of(finished.result()));
        }
        if (event instanceof RunEvent.ControllerFinished finished) {
            return Optional.of(of(finished.result()));
        }
        return Optional.empty();
    }

    public boolean controller() {
        return host.isEmpty();
    }

    /** {@code "host"} or {@code "controller"}. */
    public String kind() {
        return controller() ? "controller" : "host";
    }
}

package io.vaultcfg.module;

import io.vaultcfg.plan.RemoteAction;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import java.util.Optional;

/**
 * A practice a host does not follow, as an audit task plans it: a change pending, so {@code vaultcfg audit} (check
 * mode) reports it as one (exit code 2, "findings", a failed test in JUnit XML), and a play with a controller task
 * does not take the host for one that must be refused before any change. Applied, it runs nothing on the host ({@code :})
 * and fails: an audit task changes nothing, and a finding is no success.
 */
final class AuditFinding {
    private AuditFinding() {
    }

    static Step of(String message) {
        String finding = "finding: " + message;
        return Step.changed(finding, Optional.empty(), new RemoteAction(":", (planned, exitCode, output) ->
                new RemoteAction.Outcome(StepStatus.FAILED, finding + " (an audit task changes nothing)")));
    }
}

package io.vaultcfg.module;

import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;

/**
 * A practice a host does not follow, as an audit task plans it. {@code vaultcfg audit} runs in check mode, where
 * it reads as a pending change (so exit code 2, "findings", and a failed test in JUnit XML). Applied, an audit task
 * fails: it changes nothing, and a finding is no success.
 */
final class AuditFinding {
    private AuditFinding() {
    }

    static Step of(String message) {
        return Step.failed("finding: " + message + " (an audit task changes nothing)").previewedAs(StepStatus.CHANGED,
                "finding: " + message);
    }
}

package io.vaultcfg.run;

import io.vaultcfg.plan.RemoteAction;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * All of a host's changes as one remote script: each step runs in its own {@code set -e} subshell and
 * reports its exit code; the first failure stops the host, as in Ansible. The script finishes on the host
 * even when the connection drops.
 */
final class ApplyScript {
    private final List<Step> steps;
    private final String marker;

    ApplyScript(List<Step> steps, String marker) {
        this.steps = steps;
        this.marker = marker;
    }

    boolean hasWork() {
        return steps.stream().anyMatch(step -> step.action().isPresent());
    }

    String script() {
        // A connection lost mid-run (cut, controller killed) must not stop the host between a file's rename
        // and the restart it needs: a re-run would find the file in sync and never restart. Writes to the
        // gone connection fail instead of killing the script, which runs to its end.
        StringBuilder script = new StringBuilder("trap '' PIPE HUP\n");
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.action().isEmpty()) {
                continue;
            }
            String id = "s" + i;
            script.append(ScriptOutput.open(marker, id));
            script.append("(\nset -e\n").append(step.action().get().shell()).append("\n) 2>&1\nvc_rc=$?\n");
            script.append(ScriptOutput.close(marker, id, "$vc_rc"));
            script.append("[ \"$vc_rc\" -eq 0 ] || exit 0\n");
        }
        return script.toString();
    }

    /** Final step results; steps after a failure are dropped (they never ran). */
    List<StepResult> results(String stdout, String stderr) {
        ScriptOutput output = new ScriptOutput(stdout, marker);
        List<StepResult> results = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.action().isEmpty()) {
                results.add(StepResult.of(step, step.status(), step.message()));
                continue;
            }
            ScriptOutput.Section section = output.section("s" + i);
            if (section == null || section.exitCode() == null) {
                String why = section == null ? "did not run" : "was interrupted";
                String detail = stderr.isBlank() ? "" : ": " + RemoteAction.OutcomeReader.lastLines(stderr);
                results.add(StepResult.of(step, StepStatus.FAILED, "the step " + why + detail));
                break;
            }
            RemoteAction.Outcome outcome = step.action().get().reader().read(step, section.exitCode(), section.text());
            results.add(StepResult.of(step, outcome.status(), outcome.message()));
            if (outcome.status() == StepStatus.FAILED) {
                break;
            }
        }
        return results;
    }
}

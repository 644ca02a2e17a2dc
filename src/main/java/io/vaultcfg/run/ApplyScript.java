package io.vaultcfg.run;

import io.vaultcfg.plan.RemoteAction;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.shell.FileScripts;
import io.vaultcfg.shell.ShellQuote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** How long the script may run: the sum of its steps' budgets, since they run one after the other. */
    Duration deadline() {
        return steps.stream().flatMap(step -> step.action().stream()).map(RemoteAction::budget)
                .reduce(Duration.ZERO, Duration::plus);
    }

    String script() {
        return script(Optional.empty());
    }

    /**
     * @param secretInputsDir where the secret inputs of {@link #secretInputs()} were put beforehand, one file
     *                        per step named by its id; empty: every input travels inline, in the script
     */
    String script(Optional<String> secretInputsDir) {
        // A connection lost mid-run (cut, controller killed) must not stop the host between a file's rename
        // and the restart it needs: a re-run would find the file in sync and never restart. Writes to the
        // gone connection fail instead of killing the script, which runs to its end.
        StringBuilder script = new StringBuilder("trap '' PIPE HUP\n");
        Optional<String> library = FileScripts.sharedLibrary(steps.stream()
                .flatMap(step -> step.action().stream()).map(RemoteAction::shell).toList());
        library.ifPresent(script::append);
        secretInputsDir.ifPresent(dir -> script.append("vc_inputs=").append(ShellQuote.quote(dir)).append('\n')
                .append("trap 'rm -rf -- \"$vc_inputs\"' EXIT\n"));
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.action().isEmpty()) {
                continue;
            }
            String id = id(i);
            RemoteAction action = step.action().get();
            script.append(ScriptOutput.open(marker, id));
            script.append("(\nset -e\n").append(FileScripts.withoutLibrary(action.shell())).append("\n) 2>&1");
            if (action.input().isPresent()) {
                RemoteAction.Input input = action.input().get();
                script.append(input.secret() && secretInputsDir.isPresent()
                        ? " < \"$vc_inputs/" + id + "\"\n"
                        : " " + FileScripts.hereDocument(input.content()));
            } else {
                script.append('\n');
            }
            script.append("vc_rc=$?\n");
            script.append(ScriptOutput.close(marker, id, "$vc_rc"));
            script.append("[ \"$vc_rc\" -eq 0 ] || exit 0\n");
        }
        return script.toString();
    }

    /** The secret inputs by step id, base64 as the steps read them: what must not travel through sudo. */
    Map<String, String> secretInputs() {
        Map<String, String> inputs = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            String id = id(i);
            steps.get(i).action().flatMap(RemoteAction::input).filter(RemoteAction.Input::secret)
                    .ifPresent(input -> inputs.put(id, Base64.getEncoder().encodeToString(input.content())));
        }
        return inputs;
    }

    private static String id(int step) {
        return "s" + step;
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

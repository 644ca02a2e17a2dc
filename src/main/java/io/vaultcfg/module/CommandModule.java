package io.vaultcfg.module;

import io.vaultcfg.plan.Action;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.FileFact;
import io.vaultcfg.plan.PlanContext;
import io.vaultcfg.plan.RemoteAction;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.shell.ShellQuote;
import java.util.List;
import java.util.Optional;

/**
 * Runs a program given as an argument list (no shell parsing, every argument quoted). Like Ansible,
 * it reports "changed" unless {@code changed_when: false}, and it does not run in check mode: check mode
 * shows it as a command that would run, or, with {@code changed_when: false}, as skipped.
 */
final class CommandModule implements Module {
    @Override
    public String name() {
        return "command";
    }

    @Override
    public java.util.Set<String> arguments() {
        return java.util.Set.of("argv", "creates");
    }

    @Override
    public Action prepare(TaskInput input) {
        List<String> argv = input.stringList("argv");
        Optional<String> creates = input.optionalString("creates");
        boolean reportsChange = input.task().changedWhen().orElse(true);
        return new Run(argv, creates, reportsChange, String.join(" ", argv));
    }

    private record Run(List<String> argv, Optional<String> creates, boolean reportsChange, String display)
            implements Action {

        @Override
        public List<Fact<?>> facts() {
            return creates.map(path -> List.<Fact<?>>of(new FileFact(path, false))).orElse(List.of());
        }

        @Override
        public Step plan(PlanContext context) {
            if (creates.isPresent() && context.facts().file(creates.get()).exists()) {
                return Step.skipped(creates.get() + " exists");
            }
            RemoteAction run = RemoteAction.of(ShellQuote.join(argv));
            if (!reportsChange) {
                return new Step("", "", StepStatus.OK, "ran " + display, Optional.empty(), Optional.of(run), false, List.of())
                        .previewedAs(StepStatus.SKIPPED, "not run in check mode");
            }
            return Step.changed("run " + display, Optional.empty(), run).previewedAs(StepStatus.CHANGED, "would run " + display);
        }
    }
}

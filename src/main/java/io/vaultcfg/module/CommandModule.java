package io.vaultcfg.module;

import io.vaultcfg.plan.Action;
import io.vaultcfg.plan.FactQuery;
import io.vaultcfg.plan.PlanContext;
import io.vaultcfg.plan.RemoteAction;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.shell.ShellQuote;
import java.util.List;
import java.util.Optional;

/**
 * Runs a program given as an argument list (no shell parsing, every argument quoted). Like Ansible,
 * it reports "changed" unless {@code changed_when: false}, and it does not run in check mode.
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
        public List<FactQuery> facts() {
            return creates.map(path -> List.<FactQuery>of(new FactQuery.FileQuery(path, false))).orElse(List.of());
        }

        @Override
        public Step plan(PlanContext context) {
            if (creates.isPresent() && context.facts().file(creates.get()).exists()) {
                return Step.skipped(creates.get() + " exists");
            }
            if (context.checkMode() && !reportsChange) {
                return Step.skipped("not run in check mode");
            }
            Step step = Step.changed((context.checkMode() ? "would run " : "run ") + display, Optional.empty(),
                    RemoteAction.of(ShellQuote.join(argv)));
            if (!reportsChange) {
                return new Step(step.task(), step.module(), StepStatus.OK, "ran " + display, Optional.empty(),
                        step.action(), false, List.of());
            }
            return step;
        }
    }
}

package io.vaultcfg.module;

import io.vaultcfg.plan.Action;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.PlanContext;
import io.vaultcfg.plan.RemoteAction;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.shell.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** systemctl daemon-reload, restart and start. Usually a handler, so it runs only after a change. */
final class SystemdModule implements Module {
    private static final Set<String> STATES = Set.of("restarted", "started");
    /**
     * A start or restart returns once the unit is up (Vault's unit is Type=notify), and systemd itself gives
     * up on a unit after its stop and start timeouts, 90 s each by default: past that the host is hung.
     */
    static final Duration START_BUDGET = Duration.ofSeconds(190);

    @Override
    public String name() {
        return "systemd";
    }

    @Override
    public Set<String> arguments() {
        return Set.of("name", "state", "daemon_reload");
    }

    @Override
    public Action prepare(TaskInput input) {
        boolean daemonReload = input.bool("daemon_reload", false);
        Optional<String> state = input.optionalString("state");
        Optional<String> name = input.optionalString("name");
        if (state.isPresent() && !STATES.contains(state.get())) {
            throw input.error("state", "expected one of " + STATES);
        }
        if (state.isPresent() && name.isEmpty()) {
            throw input.error("name", "required with 'state'");
        }
        if (!daemonReload && state.isEmpty()) {
            throw input.error("state", "nothing to do: give 'state' and 'name', or 'daemon_reload: true'");
        }
        return new Systemctl(daemonReload, name, state);
    }

    private record Systemctl(boolean daemonReload, Optional<String> unit, Optional<String> state) implements Action {

        @Override
        public List<Fact<?>> facts() {
            return state.filter("started"::equals).isPresent() ? List.of(active()) : List.of();
        }

        private ServiceFact active() {
            return new ServiceFact(unit.orElseThrow());
        }

        @Override
        public Step plan(PlanContext context) {
            List<String> commands = new ArrayList<>();
            List<String> said = new ArrayList<>();
            if (daemonReload) {
                commands.add(Command.of("systemctl", "daemon-reload").render());
                said.add("daemon-reload");
            }
            boolean restart = state.filter("restarted"::equals).isPresent();
            if (restart) {
                commands.add(orShowLog(Command.of("systemctl", "restart").operands(unit.orElseThrow()).render()));
                said.add("restart " + unit.orElseThrow());
            }
            if (state.filter("started"::equals).isPresent()) {
                if (!context.facts().get(active())) {
                    commands.add(orShowLog(Command.of("systemctl", "start").operands(unit.orElseThrow()).render()));
                    said.add("start " + unit.orElseThrow());
                }
            }
            if (commands.isEmpty()) {
                return Step.ok(unit.orElse("") + " is active");
            }
            boolean starts = commands.size() > (daemonReload ? 1 : 0);
            RemoteAction action = unit.isPresent()
                    ? new RemoteAction(String.join("\n", commands), failureWithServiceLog(unit.get()))
                    : RemoteAction.of(String.join("\n", commands));
            Step step = Step.changed(String.join(", ", said), Optional.empty(), starts ? action.within(START_BUDGET) : action);
            return restart ? step.restarting() : step;
        }

        /** A start that fails prints the service's last lines before the step fails with its exit code. */
        private String orShowLog(String command) {
            return command + " || { vc_rc=$?\n" + ServiceLog.shell(unit.orElseThrow()) + "exit \"$vc_rc\"; }";
        }

        private static RemoteAction.OutcomeReader failureWithServiceLog(String unit) {
            return (planned, exitCode, output) -> {
                if (exitCode == 0) {
                    return new RemoteAction.Outcome(planned.status(), planned.message());
                }
                ServiceLog.Split split = ServiceLog.split(output);
                String own = split.own().isBlank() ? "" : ": " + RemoteAction.OutcomeReader.lastLines(split.own());
                return new RemoteAction.Outcome(StepStatus.FAILED, "exit code " + exitCode + own + split.suffix(unit));
            };
        }
    }
}

package io.vaultcfg.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A host's plan computed from hand-built tasks and facts: handlers, flushes, restarts, skips, no_log, facts wanted. */
class HostPlannerTest {
    private static final HostFacts FACTS = new HostFacts(Map.of("/etc/app.env", FileState.MISSING), Map.of());

    /** What each action saw while planning, in order: "name restartPending". */
    private final List<String> seen = new ArrayList<>();

    private Action changes(String name) {
        return context -> {
            seen.add(name + " " + context.restartPending());
            return Step.changed("change " + name, Optional.of("--- diff of " + name), RemoteAction.of("true"));
        };
    }

    private Action inSync(String name) {
        return context -> {
            seen.add(name + " " + context.restartPending());
            return Step.ok(name + " in sync");
        };
    }

    private Action restarts(String name) {
        return context -> {
            seen.add(name + " " + context.restartPending());
            return Step.changed("restart " + name, Optional.empty(), RemoteAction.of("true")).restarting();
        };
    }

    private static PreparedTask task(String name, Action action, String... notifies) {
        return new PreparedTask(name, "test", action, List.of(notifies), List.of(), false, null);
    }

    private static PreparedTask handler(String name, Action action, String... listen) {
        return new PreparedTask(name, "test", action, List.of(), List.of(listen), false, null);
    }

    private static List<String> names(HostPlan plan) {
        return plan.steps().stream().map(Step::task).toList();
    }

    @Test
    void notifiedHandlersRunOnceAtTheEndInTheOrderTheyAreDefined() {
        List<PreparedTask> tasks = List.of(task("env", changes("env"), "restart vault"),
                task("config", changes("config"), "reload", "restart vault"), task("same", inSync("same"), "never"));
        List<PreparedTask> handlers = List.of(handler("reload", changes("reload")), handler("never", changes("never")),
                handler("restart vault", restarts("restart")));

        HostPlan plan = HostPlanner.plan("node-1", tasks, handlers, FACTS);

        assertThat(names(plan)).containsExactly("env", "config", "same", "reload", "restart vault");
        assertThat(plan.host()).isEqualTo("node-1");
        assertThat(plan.hasChanges()).isTrue();
        assertThat(plan.steps().get(0).notifies()).containsExactly("restart vault");
        assertThat(plan.steps().get(3).notifies()).as("a handler notifies nothing").isEmpty();
    }

    @Test
    void aQuietChangeAnOwnerOrModeOnlyNotifiesNoHandler() {
        Action modeOnly = context -> Step.changed("/etc/app.env: mode 644 -> 600", Optional.empty(), RemoteAction.of("true")).quietly();
        List<PreparedTask> tasks = List.of(task("env", modeOnly, "restart vault"));
        List<PreparedTask> handlers = List.of(handler("restart vault", restarts("restart")));

        HostPlan plan = HostPlanner.plan("h", tasks, handlers, FACTS);

        assertThat(names(plan)).containsExactly("env");
        assertThat(plan.steps().get(0).status()).isEqualTo(StepStatus.CHANGED);
        assertThat(plan.steps().get(0).quiet()).isTrue();
        assertThat(names(HostPlanner.plan("h", List.of(task("env", changes("env"), "restart vault")), handlers, FACTS)))
                .as("the same change of content restarts").containsExactly("env", "restart vault");
    }

    @Test
    void aHandlerListeningToATopicRunsWhenTheTopicIsNotified() {
        List<PreparedTask> tasks = List.of(task("env", changes("env"), "vault config changed"));
        List<PreparedTask> handlers = List.of(handler("restart vault", restarts("restart"), "vault config changed"),
                handler("other", changes("other"), "something else"));

        assertThat(names(HostPlanner.plan("h", tasks, handlers, FACTS))).containsExactly("env", "restart vault");
    }

    @Test
    void flushHandlersRunsTheNotifiedHandlersThereAndTheyMayRunAgainAtTheEnd() {
        List<PreparedTask> tasks = List.of(task("env", changes("env"), "restart vault"),
                task("flush", Action.FLUSH_HANDLERS), task("probe", inSync("probe")),
                task("config", changes("config"), "restart vault"));
        List<PreparedTask> handlers = List.of(handler("restart vault", restarts("restart")));

        HostPlan plan = HostPlanner.plan("h", tasks, handlers, FACTS);

        assertThat(names(plan)).containsExactly("env", "restart vault", "probe", "config", "restart vault");
        assertThat(seen).containsExactly("env false", "restart false", "probe true", "config true", "restart true");
    }

    @Test
    void onlyAChangedRestartMakesLaterStepsSeeARestartPending() {
        Action restartInSync = context -> {
            seen.add("quiet " + context.restartPending());
            return Step.ok("already active").restarting();
        };
        List<PreparedTask> tasks = List.of(task("quiet", restartInSync), task("before", inSync("before")),
                task("restart", restarts("restart")), task("after", inSync("after")));

        HostPlanner.plan("h", tasks, List.of(), FACTS);

        assertThat(seen).containsExactly("quiet false", "before false", "restart false", "after true");
    }

    @Test
    void aSkippedTaskIsShownWithItsReasonAndNeitherPlansNorNotifies() {
        PreparedTask skipped = new PreparedTask("env", "template", changes("env"), List.of("restart vault"), List.of(), false,
                "condition is false: manage_env");
        List<PreparedTask> handlers = List.of(handler("restart vault", restarts("restart")));

        HostPlan plan = HostPlanner.plan("h", List.of(skipped), handlers, FACTS);

        assertThat(plan.steps()).singleElement().satisfies(step -> {
            assertThat(step.task()).isEqualTo("env");
            assertThat(step.module()).isEqualTo("template");
            assertThat(step.status()).isEqualTo(StepStatus.SKIPPED);
            assertThat(step.message()).isEqualTo("condition is false: manage_env");
        });
        assertThat(seen).isEmpty();
        assertThat(plan.hasChanges()).isFalse();
    }

    @Test
    void noLogKeepsTheChangeButDropsItsDiff() {
        PreparedTask secret = new PreparedTask("env", "template", changes("env"), List.of(), List.of(), true, null);

        Step step = HostPlanner.plan("h", List.of(secret, task("other", changes("other"))), List.of(), FACTS).steps().get(0);

        assertThat(step.status()).isEqualTo(StepStatus.CHANGED);
        assertThat(step.action()).isPresent();
        assertThat(step.diff()).isEmpty();
        assertThat(HostPlanner.plan("h", List.of(task("other", changes("other"))), List.of(), FACTS).steps().get(0).diff())
                .hasValue("--- diff of other");
    }

    @Test
    void aFailedStepMakesThePlanFailedAndItsCheckPreviewIsTheStepItself() {
        Action refused = context -> Step.failed("refused: /etc is writable by group or others");

        HostPlan plan = HostPlanner.plan("h", List.of(task("env", refused), task("other", changes("other"))), List.of(), FACTS);

        assertThat(plan.hasFailure()).isTrue();
        assertThat(plan.steps().get(0).preview()).isEqualTo(new Step.Preview(StepStatus.FAILED,
                "refused: /etc is writable by group or others"));
    }

    @Test
    void theFactsWantedAreEachReadOnceSkippedTasksExceptedHandlersIncluded() {
        FileFact env = new FileFact("/etc/app.env", true);
        FileFact dir = new FileFact("/etc", false);
        FileFact unwanted = new FileFact("/etc/skipped", true);
        Action needsEnvAndDir = new Action() {
            @Override
            public List<Fact<?>> facts() {
                return List.of(new FileFact("/etc/app.env", true), dir);
            }

            @Override
            public Step plan(PlanContext context) {
                return Step.ok("");
            }
        };
        Action needsDir = withFacts(List.of(new FileFact("/etc", false)));
        PreparedTask skipped = new PreparedTask("s", "test", withFacts(List.of(unwanted)), List.of(), List.of(), false, "skipped");
        PreparedTask handler = handler("h", withFacts(List.of(new Probe("systemctl is-active vault"), env)));

        List<Fact<?>> wanted = HostPlanner.factsNeeded(List.of(task("a", needsEnvAndDir), skipped, task("b", needsDir)),
                List.of(handler));

        assertThat(wanted).containsExactly(env, dir, new Probe("systemctl is-active vault"));
    }

    @Test
    void aCommandFactIsAnsweredByTheFactValueWithItsOwnParserNotByItsShellText() {
        Probe probe = new Probe("systemctl is-active vault");
        Exit exit = new Exit("systemctl is-active vault");
        HostFacts facts = new HostFacts(Map.of(), Map.of(probe, new CommandOutput(3, "inactive"), exit, new CommandOutput(0, "")));

        assertThat(facts.get(probe)).isEqualTo("inactive");
        assertThat(facts.get(exit)).isEqualTo(0);
        assertThat(facts.get(new Probe("systemctl is-active vault"))).as("an equal fact").isEqualTo("inactive");
        assertThat(facts.all(Probe.class)).containsExactly("inactive");
    }

    private static Action withFacts(List<Fact<?>> facts) {
        return new Action() {
            @Override
            public List<Fact<?>> facts() {
                return facts;
            }

            @Override
            public Step plan(PlanContext context) {
                return Step.ok("");
            }
        };
    }

    /** A command's output, stripped. */
    private record Probe(String shell) implements CommandFact<String> {
        @Override
        public String parse(CommandOutput output) {
            return output.output().strip();
        }
    }

    /** The same command read for its exit code: another fact. */
    private record Exit(String shell) implements CommandFact<Integer> {
        @Override
        public Integer parse(CommandOutput output) {
            return output.exitCode();
        }
    }
}

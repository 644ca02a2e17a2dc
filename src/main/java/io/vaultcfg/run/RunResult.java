package io.vaultcfg.run;

import io.vaultcfg.plan.StepStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's outcome as small summaries (counts per host and play, not the lines: those went to the
 * listeners), the recap, and the exit code.
 */
public record RunResult(boolean check, List<Outcome> outcomes) {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_CHANGES_PENDING = 2;

    /** Ansible's PLAY RECAP counts. */
    public record Recap(long ok, long changed, long unreachable, long failed, long skipped) {
        Recap plus(Recap other) {
            return new Recap(ok + other.ok, changed + other.changed, unreachable + other.unreachable, failed + other.failed,
                    skipped + other.skipped);
        }
    }

    /** One host (or, with {@code host} empty, the controller) in one play. */
    public record Outcome(String play, Optional<String> host, Recap counts) {
        public static Outcome of(HostResult result) {
            long failed = result.count(StepStatus.FAILED) + (result.failed() && result.count(StepStatus.FAILED) == 0 ? 1 : 0);
            return new Outcome(result.play(), Optional.of(result.host()), new Recap(result.count(StepStatus.OK),
                    result.count(StepStatus.CHANGED), result.unreachable() ? 1 : 0, failed, result.count(StepStatus.SKIPPED)));
        }

        public static Outcome of(ControllerResult result) {
            long failed = result.count(StepStatus.FAILED) + (result.failed() && result.count(StepStatus.FAILED) == 0 ? 1 : 0);
            return new Outcome(result.play(), Optional.empty(), new Recap(result.count(StepStatus.OK),
                    result.count(StepStatus.CHANGED), 0, failed, result.count(StepStatus.SKIPPED)));
        }
    }

    /** Summaries of full results (tests and small runs). */
    public static RunResult of(boolean check, List<HostResult> hosts, List<ControllerResult> controller) {
        List<Outcome> outcomes = new ArrayList<>();
        controller.forEach(result -> outcomes.add(Outcome.of(result)));
        hosts.forEach(result -> outcomes.add(Outcome.of(result)));
        return new RunResult(check, List.copyOf(outcomes));
    }

    /** Per host, over all plays, in the order hosts first finished. */
    public Map<String, Recap> recap() {
        Map<String, Recap> recap = new LinkedHashMap<>();
        for (Outcome outcome : outcomes) {
            outcome.host().ifPresent(host -> recap.merge(host, outcome.counts(), Recap::plus));
        }
        return recap;
    }

    /** The controller's counts over all plays; empty when no play had a controller task. */
    public Optional<Recap> controllerRecap() {
        return outcomes.stream().filter(outcome -> outcome.host().isEmpty()).map(Outcome::counts).reduce(Recap::plus);
    }

    public boolean anyFailure() {
        return outcomes.stream().anyMatch(outcome -> outcome.counts().unreachable() > 0 || outcome.counts().failed() > 0);
    }

    public boolean anyChange() {
        return outcomes.stream().anyMatch(outcome -> outcome.counts().changed() > 0);
    }

    /** Check: 0 in sync, 2 changes pending, 1 failure. Apply: 0 success, 1 any failure or unreachable host. */
    public int exitCode() {
        if (anyFailure()) {
            return EXIT_FAILED;
        }
        return check && anyChange() ? EXIT_CHANGES_PENDING : EXIT_OK;
    }
}

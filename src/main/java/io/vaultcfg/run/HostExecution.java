package io.vaultcfg.run;

import io.vaultcfg.plan.FactQuery;
import io.vaultcfg.plan.HostFacts;
import io.vaultcfg.plan.HostPlan;
import io.vaultcfg.plan.HostPlanner;
import io.vaultcfg.plan.Step;
import io.vaultcfg.secret.Redactor;
import io.vaultcfg.ssh.ExecResult;
import io.vaultcfg.ssh.HostUnreachableException;
import io.vaultcfg.ssh.RemoteSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One host through one play: read its facts in one round trip, plan locally, then (apply only)
 * carry out every change in one more round trip. A plan with a failed step changes nothing.
 */
final class HostExecution {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HostWork work;
    private final String play;
    private final Sessions sessions;
    private final boolean check;
    private final boolean showDiff;
    private final Redactor redactor;

    HostExecution(HostWork work, String play, Sessions sessions, boolean check, boolean showDiff, Redactor redactor) {
        this.work = work;
        this.play = play;
        this.sessions = sessions;
        this.check = check;
        this.showDiff = showDiff;
        this.redactor = redactor;
    }

    HostResult run() {
        RemoteSession session;
        try {
            session = sessions.open(work.target());
        } catch (HostUnreachableException e) {
            return new HostResult(play, work.host(), true, List.of(), Optional.of(redactor.redact(e.getMessage())));
        }
        try {
            HostFacts facts = gatherFacts(session);
            HostPlan plan = HostPlanner.plan(work.host(), work.tasks(), work.handlers(), facts, check);
            List<StepResult> results = check || plan.hasFailure() ? planned(plan) : apply(session, plan);
            return result(results, Optional.empty());
        } catch (HostFailure e) {
            return result(List.of(), Optional.of(e.getMessage()));
        } catch (IOException e) {
            sessions.discard(work.host());
            return new HostResult(play, work.host(), true, List.of(),
                    Optional.of(redactor.redact("connection lost: " + e.getMessage())));
        }
    }

    private HostFacts gatherFacts(RemoteSession session) throws IOException {
        List<FactQuery> queries = HostPlanner.factsNeeded(work.tasks(), work.handlers());
        if (queries.isEmpty()) {
            return HostFacts.NONE;
        }
        FactsScript facts = new FactsScript(queries, newMarker());
        ExecResult result = runScript(session, facts.script(), "reading the host's state");
        try {
            return facts.parse(result.stdout());
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new HostFailure("cannot read the host's state: " + e.getMessage() + stderrHint(result));
        }
    }

    private List<StepResult> apply(RemoteSession session, HostPlan plan) throws IOException {
        ApplyScript apply = new ApplyScript(plan.steps(), newMarker());
        if (!apply.hasWork()) {
            return planned(plan);
        }
        ExecResult result = runScript(session, apply.script(), "applying changes");
        return apply.results(result.stdout(), result.stderr());
    }

    private ExecResult runScript(RemoteSession session, String script, String doing) throws IOException {
        RemoteShell shell = new RemoteShell(work.becomeUser());
        ExecResult result = session.exec(shell.command(), script.getBytes(StandardCharsets.UTF_8));
        if (result.exitCode() != 0) {
            String reason = RemoteShell.explainFailure(result.stderr(), work.becomeUser())
                    .orElse("exit code " + result.exitCode() + stderrHint(result));
            throw new HostFailure(doing + " failed: " + reason);
        }
        return result;
    }

    private static String stderrHint(ExecResult result) {
        return result.stderr().isBlank() ? "" : " (" + result.stderr().strip().lines().reduce((a, b) -> b).orElse("") + ")";
    }

    private static List<StepResult> planned(HostPlan plan) {
        return plan.steps().stream().map(HostExecution::asPlanned).toList();
    }

    private static StepResult asPlanned(Step step) {
        return StepResult.of(step, step.status(), step.message());
    }

    private HostResult result(List<StepResult> steps, Optional<String> error) {
        List<StepResult> safe = steps.stream().map(step -> new StepResult(step.task(), step.module(), step.status(),
                redactor.redact(step.message()),
                showDiff ? step.diff().map(redactor::redact) : Optional.empty())).toList();
        return new HostResult(play, work.host(), false, safe, error.map(redactor::redact));
    }

    private static String newMarker() {
        byte[] nonce = new byte[8];
        RANDOM.nextBytes(nonce);
        return "@@vaultcfg-" + HexFormat.of().formatHex(nonce);
    }

    /** The host answered but the run cannot go on there (sudo refused, broken facts). */
    private static final class HostFailure extends RuntimeException {
        HostFailure(String message) {
            super(message);
        }
    }
}

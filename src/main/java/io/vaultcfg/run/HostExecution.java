package io.vaultcfg.run;

import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.HostFacts;
import io.vaultcfg.plan.HostPlan;
import io.vaultcfg.plan.HostPlanner;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.secret.Redactor;
import io.vaultcfg.ssh.CommandTimeoutException;
import io.vaultcfg.ssh.ExecResult;
import io.vaultcfg.ssh.HostUnreachableException;
import io.vaultcfg.ssh.OutputLimitException;
import io.vaultcfg.ssh.RemoteSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One host through one play: read its facts in one round trip, plan locally, then (apply only)
 * carry out every change in one more round trip. A plan with a failed step changes nothing.
 */
final class HostExecution {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String READING = "reading the host's state";
    private static final String APPLYING = "applying changes";

    private final String play;
    private final Sessions sessions;
    private final boolean check;
    private final boolean showDiff;
    private final Redactor redactor;
    private final boolean holdConnections;

    /**
     * @param holdConnections keep each host's connection for later steps and plays; false when the run
     *                        has more hosts than workers, so that at most {@code forks} connections (each
     *                        with its reader thread and buffers) are open at once, whatever the fleet size
     */
    HostExecution(String play, Sessions sessions, boolean check, boolean showDiff, Redactor redactor, boolean holdConnections) {
        this.play = play;
        this.sessions = sessions;
        this.check = check;
        this.showDiff = showDiff;
        this.redactor = redactor;
        this.holdConnections = holdConnections;
    }

    /** The host's work in this phase is done; a later step reconnects if it needs to. */
    void release(HostWork work) {
        if (!holdConnections) {
            sessions.discard(work.host());
        }
    }

    /** Facts of a host, or the result that explains why there are none. */
    record Gathered(HostWork work, HostFacts facts, HostResult failure) {
        boolean ok() {
            return failure == null;
        }
    }

    HostResult run(HostWork work) {
        Gathered gathered = gather(work, List.of());
        HostResult result = gathered.ok() ? planAndApply(work, gathered.facts()) : gathered.failure();
        release(work);
        return result;
    }

    Gathered gather(HostWork work, List<Fact<?>> extra) {
        // a host done in its play is read again only for the controller's facts
        List<Fact<?>> queries = work.released() ? new ArrayList<>()
                : new ArrayList<>(HostPlanner.factsNeeded(work.tasks(), work.handlers()));
        extra.stream().filter(query -> !queries.contains(query)).forEach(queries::add);
        return read(work, queries);
    }

    /** Only {@code queries}, in one round trip: e.g. a node's role, read again just before its restart. */
    Gathered read(HostWork work, List<Fact<?>> queries) {
        try {
            RemoteSession session = sessions.open(work.target());
            if (queries.isEmpty()) {
                return new Gathered(work, HostFacts.NONE, null);
            }
            FactsScript facts = new FactsScript(queries, newMarker());
            ExecResult result = runScript(work, session, facts.script(), facts.deadline(), READING);
            try {
                HostFacts read = facts.parse(result.stdout());
                // the whole fleet is in flight (and in memory) at once: parsed here, on the host's own worker, once
                return new Gathered(work, holdConnections ? read.parsedNow() : read, null);
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new HostFailure("cannot read the host's state: " + e.getMessage() + stderrHint(result));
            }
        } catch (HostUnreachableException e) {
            return new Gathered(work, null, unreachable(work, e.getMessage()));
        } catch (HostFailure e) {
            return new Gathered(work, null, result(work, List.of(), Optional.of(e.getMessage())));
        } catch (IOException e) {
            sessions.discard(work.host());
            return new Gathered(work, null, unreachable(work, "connection lost: " + e.getMessage()));
        }
    }

    /**
     * A short script of the runner's own (e.g. stopping a service), as the host's scripts run (through sudo with
     * become). Empty when it ran; else why not. It must carry no secret: sudo may log its input.
     */
    Optional<String> runScript(HostWork work, String script, Duration deadline) {
        try {
            runScript(work, sessions.open(work.target()), script, deadline, "running " + script.strip().lines().findFirst().orElse(""));
            return Optional.empty();
        } catch (HostFailure e) {
            return Optional.of(redactor.redact(e.getMessage()));
        } catch (HostUnreachableException e) {
            return Optional.of(redactor.redact(e.getMessage()));
        } catch (IOException e) {
            sessions.discard(work.host());
            return Optional.of(redactor.redact("connection lost: " + e.getMessage()));
        }
    }

    /**
     * {@code command} as the login user, never through sudo (which may log its input), with {@code input} on its
     * stdin: how a secret reaches a process on the host without touching a command line or a file.
     */
    ExecResult runAsLoginUser(HostWork work, String command, byte[] input, Duration deadline) throws IOException {
        try {
            return sessions.open(work.target()).exec(command, input, deadline);
        } catch (CommandTimeoutException | OutputLimitException e) {
            sessions.abandon(work.host());
            throw new IOException("no usable answer within " + deadline.toSeconds() + " s; the connection was closed");
        } catch (HostUnreachableException e) {
            throw new IOException(e.getMessage());
        }
    }

    /**
     * Decides, once a host's plan is known and before any of it is carried out, whether it may be: e.g. a
     * node of a cluster is restarted only while the rest of its cluster is healthy. Empty: go ahead; else why not.
     */
    interface ApplyGate {
        ApplyGate OPEN = (work, plan) -> Optional.empty();

        Optional<String> beforeApply(HostWork work, HostPlan plan);
    }

    HostResult planAndApply(HostWork work, HostFacts facts) {
        return planAndApply(work, facts, ApplyGate.OPEN);
    }

    HostResult planAndApply(HostWork work, HostFacts facts, ApplyGate gate) {
        return carryOut(work, () -> HostPlanner.plan(work.host(), work.tasks(), work.handlers(), facts), gate);
    }

    /** A plan made earlier from the very inputs {@link #planAndApply} would plan with: shown, or applied, as it would. */
    HostResult carryOut(HostWork work, HostPlan plan, ApplyGate gate) {
        return carryOut(work, () -> plan, gate);
    }

    private HostResult carryOut(HostWork work, Supplier<HostPlan> planning, ApplyGate gate) {
        try {
            HostPlan plan = planning.get();
            if (check) {
                return result(work, previewed(plan), Optional.empty());
            }
            if (plan.hasFailure()) {
                return result(work, notCarriedOut(plan), Optional.empty());
            }
            Optional<String> refusal = gate.beforeApply(work, plan);
            if (refusal.isPresent()) {
                return result(work, notCarriedOut(plan), refusal);
            }
            return result(work, apply(work, plan), Optional.empty());
        } catch (HostFailure e) {
            return result(work, List.of(), Optional.of(e.getMessage()));
        } catch (HostUnreachableException e) {
            return unreachable(work, e.getMessage());
        } catch (IOException e) {
            sessions.discard(work.host());
            return unreachable(work, "connection lost: " + e.getMessage());
        }
    }

    private List<StepResult> apply(HostWork work, HostPlan plan) throws IOException, HostUnreachableException {
        ApplyScript apply = new ApplyScript(plan.steps(), newMarker());
        if (!apply.hasWork()) {
            return planned(plan);
        }
        RemoteSession session = sessions.open(work.target());
        Map<String, String> secrets = apply.secretInputs();
        if (!SecretInputs.needed(work.becomeUser(), secrets)) {
            ExecResult result = runScript(work, session, apply.script(), apply.deadline(), APPLYING);
            return apply.results(result.stdout(), result.stderr());
        }
        String inputs = SecretInputs.stage(session, secrets);
        boolean ran = false;
        try {
            ExecResult result = runScript(work, session, apply.script(Optional.of(inputs)), apply.deadline(), APPLYING);
            ran = true;
            return apply.results(result.stdout(), result.stderr());
        } finally {
            if (!ran) {
                SecretInputs.discard(session, inputs);
            }
        }
    }

    private ExecResult runScript(HostWork work, RemoteSession session, String script, Duration deadline, String doing)
            throws IOException {
        RemoteShell shell = new RemoteShell(work.becomeUser());
        ExecResult result;
        try {
            result = session.exec(shell.command(), script.getBytes(StandardCharsets.UTF_8), deadline);
        } catch (CommandTimeoutException e) {
            sessions.abandon(work.host());
            throw new HostFailure("no answer within " + deadline.toSeconds() + " s while " + doing
                    + "; the connection was closed" + partlyChanged(doing));
        } catch (OutputLimitException e) {
            sessions.abandon(work.host());
            throw new HostFailure("more than " + (RemoteSession.MAX_OUTPUT_BYTES >> 20) + " MiB of output while " + doing
                    + "; the connection was closed" + partlyChanged(doing));
        }
        if (result.exitCode() != 0) {
            String reason = RemoteShell.explainFailure(result.stderr(), work.becomeUser())
                    .orElse("exit code " + result.exitCode() + stderrHint(result));
            throw new HostFailure(doing + " failed: " + reason);
        }
        return result;
    }

    private static String partlyChanged(String doing) {
        return doing.equals(APPLYING)
                ? "; the host may be partly changed (every file is written atomically, so a re-run converges)" : "";
    }

    private static String stderrHint(ExecResult result) {
        return result.stderr().isBlank() ? "" : " (" + result.stderr().strip().lines().reduce((a, b) -> b).orElse("") + ")";
    }

    /** The plan when none of it is carried out: a change it would have made is not counted as one. */
    static List<StepResult> notCarriedOut(HostPlan plan) {
        return plan.steps().stream().map(step -> step.status() == StepStatus.CHANGED
                ? StepResult.of(step, StepStatus.SKIPPED, "not carried out: " + step.message())
                : asPlanned(step)).toList();
    }

    private static List<StepResult> planned(HostPlan plan) {
        return plan.steps().stream().map(HostExecution::asPlanned).toList();
    }

    private static StepResult asPlanned(Step step) {
        return StepResult.of(step, step.status(), step.message());
    }

    /** Check mode: the plan as it reads when nothing of it is carried out. */
    private static List<StepResult> previewed(HostPlan plan) {
        return plan.steps().stream().map(step -> StepResult.of(step, step.preview().status(), step.preview().message())).toList();
    }

    private HostResult unreachable(HostWork work, String message) {
        return new HostResult(play, work.host(), true, List.of(), Optional.of(redactor.redact(message)));
    }

    HostResult result(HostWork work, List<StepResult> steps, Optional<String> error) {
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

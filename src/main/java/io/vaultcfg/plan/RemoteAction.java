package io.vaultcfg.plan;

import java.time.Duration;
import java.util.Optional;

/**
 * The shell that carries out one step on the host, how to read what it printed, and how long it may
 * take. Runs with {@code set -e} inside the host's single apply script, whose deadline is the sum of
 * its steps' budgets. A step that writes a file reads the content, base64, on its standard input: the
 * content is kept out of the shell text, so that the runner decides how it travels (inline, or — a
 * secret on a host reached through sudo — outside sudo's input, which sudo may log).
 *
 * @param budget the longest this step may run on a host that works; past the apply script's deadline
 *               the host is reported as not answering
 */
public record RemoteAction(String shell, OutcomeReader reader, Duration budget, Optional<Input> input) {
    /** A file write, a directory, a daemon-reload or a short command: seconds at most on a working host. */
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(60);

    public RemoteAction {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("a step's budget must be positive");
        }
    }

    public RemoteAction(String shell, OutcomeReader reader, Duration budget) {
        this(shell, reader, budget, Optional.empty());
    }

    public RemoteAction(String shell, OutcomeReader reader) {
        this(shell, reader, DEFAULT_BUDGET);
    }

    public static RemoteAction of(String shell) {
        return new RemoteAction(shell, OutcomeReader.EXIT_CODE);
    }

    /** A shell that reads {@code content}, base64-encoded, on its standard input. */
    public static RemoteAction withInput(String shell, byte[] content, boolean secret) {
        return new RemoteAction(shell, OutcomeReader.EXIT_CODE, DEFAULT_BUDGET, Optional.of(new Input(content, secret)));
    }

    public RemoteAction within(Duration newBudget) {
        return new RemoteAction(shell, reader, newBudget, input);
    }

    /** Bytes for a step's standard input; {@code secret} when they hold a secret. Kept in memory only. */
    public record Input(byte[] content, boolean secret) {
    }

    /** Turns a step's exit code and output into its final status and message. */
    @FunctionalInterface
    public interface OutcomeReader {
        OutcomeReader EXIT_CODE = (planned, exitCode, output) -> exitCode == 0
                ? new Outcome(planned.status(), planned.message())
                : new Outcome(StepStatus.FAILED, "exit code " + exitCode + (output.isBlank() ? "" : ": " + lastLines(output)));

        Outcome read(Step planned, int exitCode, String output);

        static String lastLines(String output) {
            String[] lines = output.strip().split("\n");
            int from = Math.max(0, lines.length - 5);
            return String.join(" | ", java.util.Arrays.copyOfRange(lines, from, lines.length));
        }
    }

    public record Outcome(StepStatus status, String message) {
    }
}

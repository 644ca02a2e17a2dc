package io.vaultcfg.plan;

/**
 * The shell that carries out one step on the host, and how to read what it printed. Runs with
 * {@code set -e} inside the host's single apply script.
 */
public record RemoteAction(String shell, OutcomeReader reader) {

    public static RemoteAction of(String shell) {
        return new RemoteAction(shell, OutcomeReader.EXIT_CODE);
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

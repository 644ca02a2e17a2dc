package io.vaultcfg.plan;

import java.time.Duration;

/**
 * A fact read by a read-only command: its exit code and output, parsed. Implement it as a record whose
 * components determine the command, so that equal facts are equal values (read once) and the parse lives
 * beside the command it reads.
 *
 * @param <T> the parsed value
 */
public non-sealed interface CommandFact<T> extends Fact<T> {
    /** A local query such as {@code systemctl is-active}. */
    Duration DEFAULT_BUDGET = Duration.ofSeconds(10);

    /** The shell that prints the fact; it runs with its stderr joined to its stdout. */
    String shell();

    /** The longest it may take on a working host; adds to the facts script's deadline. */
    default Duration budget() {
        return DEFAULT_BUDGET;
    }

    /**
     * Whether the facts script runs the fact in a subshell of its own (the default), so that nothing it does reaches a
     * later fact. False only for a shell that never exits and changes nothing of the shell it runs in: no option,
     * variable, function, positional parameter, directory, trap or {@code exec} redirection ({@code $(...)} and a
     * pipeline run apart; a {@code VAR=value} prefix counts when the command may be a builtin). It then runs in a
     * {@code { ...; }} group of the script's own shell: one fork fewer per host.
     */
    default boolean needsSubshell() {
        return true;
    }

    T parse(CommandOutput output);
}

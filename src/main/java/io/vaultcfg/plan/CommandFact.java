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

    T parse(CommandOutput output);
}

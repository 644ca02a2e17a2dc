package io.vaultcfg.module;

import io.vaultcfg.plan.CommandFact;
import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.vault.NodeAnswer;
import java.time.Duration;
import java.util.Optional;

/**
 * Vault's seal status as the node answers it (see {@link VaultStatusModule#statusCommand}). In the facts round trip of
 * {@code vault_status}, curl's answer comes from the role probe ({@link NodeRoleFact}, {@link Reading#answered}): this
 * fact reads it only with the Vault CLI.
 *
 * @param statusCommand the probe, curl or the Vault CLI
 * @param budget        the probe's own timeout and a margin
 */
record SealStatusFact(String statusCommand, Duration budget) implements CommandFact<SealStatusFact.Reading> {
    /** What the probe printed; {@code status} when it printed a seal status. */
    record Reading(int exitCode, String output, Optional<VaultStatus> status) {
        /** The shell found no such program (the Vault binary, without curl). */
        boolean probeMissing() {
            return exitCode == 127;
        }

        /** The http probe on a host without curl, as the shell would have said it. */
        static final Reading NO_CURL = new Reading(127, "curl: not found", Optional.empty());

        /** What {@code sys/seal-status} answered the role probe's curl; status 0 is curl's failure, its message the body. */
        static Reading answered(NodeAnswer answer) {
            return new Reading(answer.status() == 0 ? 1 : 0, answer.body(), VaultStatus.parse(answer.body()));
        }
    }

    @Override
    public String shell() {
        return statusCommand + " 2>&1";
    }

    @Override
    public Reading parse(CommandOutput output) {
        return new Reading(output.exitCode(), output.output(), VaultStatus.parse(output.output()));
    }
}

package io.vaultcfg.module;

import io.vaultcfg.plan.CommandFact;
import io.vaultcfg.plan.CommandOutput;
import java.time.Duration;
import java.util.Optional;

/**
 * Vault's seal status as the node answers it (see {@link VaultStatusModule#statusCommand}).
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

package io.vaultcfg.module;

import io.vaultcfg.plan.CommandFact;
import io.vaultcfg.plan.CommandOutput;
import java.util.Optional;

/** The user the host's scripts run as (root, or the become user); empty when the host did not say. */
record ScriptUserFact() implements CommandFact<Optional<String>> {
    /** Sets nothing and never exits: runs in the facts script's own shell. */
    @Override
    public boolean needsSubshell() {
        return false;
    }

    /** sshd and sudo set USER to the user the script runs as: a builtin, no process on every host (id -un only without it). */
    @Override
    public String shell() {
        return "printf '%s\\n' \"${USER:-$(id -un)}\"";
    }

    @Override
    public Optional<String> parse(CommandOutput output) {
        return output.exitCode() == 0 && !output.output().isBlank() ? Optional.of(output.output().strip()) : Optional.empty();
    }
}

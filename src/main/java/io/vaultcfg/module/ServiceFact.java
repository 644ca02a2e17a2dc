package io.vaultcfg.module;

import io.vaultcfg.plan.CommandFact;
import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.shell.Command;

/** Whether a systemd unit is active ({@code systemctl is-active}). */
record ServiceFact(String unit) implements CommandFact<Boolean> {
    @Override
    public String shell() {
        return Command.of("systemctl", "is-active").operands(unit).render();
    }

    @Override
    public Boolean parse(CommandOutput output) {
        return output.exitCode() == 0;
    }
}

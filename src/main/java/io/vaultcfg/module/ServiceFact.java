package io.vaultcfg.module;

import io.vaultcfg.plan.CommandFact;
import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.plan.SystemdProperties;
import io.vaultcfg.shell.Command;
import java.util.List;

/**
 * Whether a systemd unit is active, as {@code systemctl is-active} answers: exit 0 and the state when its
 * {@code ActiveState} is {@code active} or {@code reloading}, else exit 3 and the state (a unit systemd does not know is
 * {@code inactive}). Read from the facts script's one {@code systemctl show} of the unit; a systemctl whose show gives no
 * {@code ActiveState}, or an empty one (not systemd's: it always names the state), is asked {@code is-active} itself.
 */
record ServiceFact(String unit) implements CommandFact<Boolean>, SystemdProperties {
    @Override
    public List<String> systemdProperties() {
        return List.of("ActiveState");
    }

    @Override
    public String shell() {
        return SystemdShow.into("vc_show", this)
                + SystemdShow.property("vc_state", "vc_show", "ActiveState")
                + "if [ -z \"${vc_state:-}\" ]; then " + Command.of("systemctl", "is-active").operands(unit).render() + "; exit; fi\n"
                + "echo \"$vc_state\"\n"
                + "case $vc_state in active|reloading) exit 0 ;; *) exit 3 ;; esac\n";
    }

    @Override
    public Boolean parse(CommandOutput output) {
        return output.exitCode() == 0;
    }
}

package io.vaultcfg.plan;

import java.util.List;

/**
 * A command fact that reads properties of a systemd unit. The facts script shows the properties that all such facts
 * of one unit want with one {@code systemctl show} per unit, before the command facts run, and hands each fact that
 * output in the shell variable {@value #SHOWN}; the fact's shell calls systemctl itself only when that variable is
 * unset (run on its own). On a fleet every process on every host adds up.
 */
public interface SystemdProperties {
    /** The shell variable holding {@code systemctl show}'s output for the fact's unit, set by the facts script. */
    String SHOWN = "vc_systemd";

    /** The unit as the playbook names it ({@code vault} or {@code vault.service}). */
    String unit();

    /** The unit's full name, as one {@code systemctl show} call names it (e.g. {@code vault.service}). */
    default String systemdUnit() {
        return unitName(unit());
    }

    /** The properties the fact reads from {@value #SHOWN}. */
    List<String> systemdProperties();

    /** {@code vault} is {@code vault.service}, as systemd reads a name without a type. */
    static String unitName(String unit) {
        return unit.contains(".") ? unit : unit + ".service";
    }
}

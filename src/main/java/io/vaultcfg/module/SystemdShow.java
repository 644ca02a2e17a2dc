package io.vaultcfg.module;

import io.vaultcfg.plan.SystemdProperties;
import io.vaultcfg.shell.Command;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** The shell a {@link SystemdProperties} fact reads its unit's properties with: the facts script's one show, else its own. */
public final class SystemdShow {
    private static final Pattern PROPERTY_NAME = Pattern.compile("[A-Za-z]+");

    private SystemdShow() {
    }

    /** Sets {@code variable} to the fact's unit's properties, one {@code Name=value} a line (empty when systemctl fails). */
    static String into(String variable, SystemdProperties fact) {
        String show = command(fact.systemdUnit(), fact.systemdProperties());
        String shown = SystemdProperties.SHOWN;
        return "if [ \"${" + shown + "+set}\" = set ]; then " + variable + "=$" + shown + "; else " + variable + "=$(" + show
                + " 2>/dev/null); fi\n";
    }

    /** {@code systemctl show -p P1 -p P2 ... -- UNIT}, every word quoted. */
    public static String command(String unit, Collection<String> properties) {
        List<String> options = new ArrayList<>(List.of("show"));
        properties.forEach(property -> options.addAll(List.of("-p", property)));
        return Command.of("systemctl", options.toArray(String[]::new)).operands(unit).render();
    }

    /**
     * Sets {@code variable} to the value of {@code property} in the output {@code from} holds; leaves it unset when no
     * line names the property. Builtins only.
     */
    static String property(String variable, String from, String property) {
        if (!PROPERTY_NAME.matcher(property).matches()) {
            throw new IllegalArgumentException("not a systemd property name: " + property);
        }
        return "unset " + variable + "; vc_lines=\"\n$" + from + "\n\"\n"
                + "case $vc_lines in *\"\n" + property + "=\"*) " + variable + "=${vc_lines#*\"\n" + property + "=\"}; "
                + variable + "=${" + variable + "%%\"\n\"*} ;; esac\n";
    }
}
